// Preloaded with `node --import ./bench/rss-report.mjs ...`: when the process exits, prints its
// peak resident memory (maxRSS, from getrusage) as `hacompile-maxrss <KiB>` on stderr.
process.on('exit', () => {
  process.stderr.write(`hacompile-maxrss ${process.resourceUsage().maxRSS}\n`);
});
