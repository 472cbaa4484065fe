'use strict';
// @actions/core imports @actions/http-client for getIDToken alone; loading it at start (with node:http, node:https
// and tunnel) cost every action's cold start. Here it loads on the first OIDC token request.
exports.HttpClient = function HttpClient(...args) {
  const { HttpClient: Client } = require('@actions/http-client');
  return new Client(...args);
};
