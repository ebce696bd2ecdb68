/** Defined (as true) by esbuild in the CLI's bundle (`npm run bundle`); undefined in tests and dist/. */
declare const HACOMPILE_BUNDLE: boolean | undefined;

/**
 * Whether this code runs from the CLI's bundle (dist/app/), which has the libraries loaded on
 * first use as a file beside it (yaml.cjs): one file to read instead of dozens to resolve in node_modules. Elsewhere they come from node_modules.
 */
export const BUNDLED: boolean = typeof HACOMPILE_BUNDLE !== 'undefined' && HACOMPILE_BUNDLE;
