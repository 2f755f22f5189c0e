#!/usr/bin/env node
// The one-command demo: install, build, start the sandbox with the page on its own origin.
console.log('kaa demo: the sandbox and the /koreaiaa-genesys/ page are not built yet; this command starts them once they land (see the open issues).');
