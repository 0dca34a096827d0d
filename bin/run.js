#!/usr/bin/env node
// The `accio` executable: runs the oclif commands compiled to dist/ (npm run build).
void (async () => {
  const oclif = await import('@oclif/core');
  await oclif.execute({ dir: __dirname });
})();
