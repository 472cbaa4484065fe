'use strict';
// What the bundles use of undici, in place of its index, which requires every part (fetch, WebSocket, caches,
// mocks, cookies) as it loads: the actions' cold start paid for all of it. The dispatcher and its request API load
// at once; ProxyAgent, which @actions/http-client imports, only when first used. fetch is undici-fetch.cjs.
const Dispatcher = require('undici/lib/dispatcher/dispatcher.js');
const api = require('undici/lib/api/index.js');
const util = require('undici/lib/core/util.js');

// As undici's index does it: the request API on every dispatcher.
Object.assign(Dispatcher.prototype, api);

exports.Agent = require('undici/lib/dispatcher/agent.js');

// undici's `request(url, options)`: the URL's origin and path, on the dispatcher the options name.
exports.request = function request(url, options) {
  const parsed = util.parseURL(url);
  const { dispatcher, ...rest } = options;
  return dispatcher.request({
    ...rest,
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
    method: rest.method || (rest.body ? 'PUT' : 'GET'),
  });
};

Object.defineProperty(exports, 'ProxyAgent', {
  enumerable: true,
  get: () => require('undici/lib/dispatcher/proxy-agent.js'),
});
