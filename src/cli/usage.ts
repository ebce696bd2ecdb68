/** A command-line mistake (a bad option value, a missing directory): exit 2 with the message, before anything is written. */
export class UsageError extends Error {}
