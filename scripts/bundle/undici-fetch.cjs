'use strict';
// undici's fetch for @actions/github, the one importer that uses it: bundled only where @actions/github is (the
// artifact chunk, loaded when artifacts are used), not in the chunk every action loads at start.
exports.fetch = require('undici/lib/web/fetch/index.js').fetch;
