/**
 * The Node transport: `node:http` / `node:https` with keep-alive agents (one connection
 * reused across calls), the caller's `agent` when given, and an `http://` proxy through a
 * `CONNECT` tunnel (kept alive too). See `transport-fetch.mjs` for the transport contract.
 */

import { createRequire } from 'node:module';
import { concat, declaredOver, isConnectFailure, markNotSent } from './transport-fetch.mjs';
import { redact } from './errors.mjs';

// `node:http`, `node:https` and `node:tls` load on first use (this transport serves a
// caller's agent, a proxy and the WebAssembly fallback): not at startup.
const requireBuiltin = createRequire(import.meta.url);
let httpModule = null;
let httpsModule = null;
let tlsModule = null;
const http = () => (httpModule ??= requireBuiltin('node:http'));
const https = () => (httpsModule ??= requireBuiltin('node:https'));
const tls = () => (tlsModule ??= requireBuiltin('node:tls'));

/**
 * An agent whose connections go through an HTTP proxy's `CONNECT` tunnel; TLS (for an
 * `https` target) runs inside the tunnel, end to end.
 * @param {string} proxyUrl `http://[user:password@]host:port`
 * @param {boolean} secure whether the targets are `https`
 */
export function tunnelAgent(proxyUrl, secure) {
  const proxy = new URL(proxyUrl);
  if (proxy.protocol !== 'http:') {
    throw new TypeError(`essbasic: only http:// proxies are supported, got ${proxy.protocol}`);
  }
  const auth =
    proxy.username || proxy.password
      ? 'Basic ' +
        Buffer.from(
          `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`,
        ).toString('base64')
      : null;
  const Base = secure ? https().Agent : http().Agent;
  class TunnelAgent extends Base {
    createConnection(options, callback) {
      const target = `${options.host}:${options.port}`;
      const headers = { host: target };
      if (auth) headers['proxy-authorization'] = auth;
      const connect = http().request({
        host: proxy.hostname,
        port: proxy.port || 80,
        method: 'CONNECT',
        path: target,
        headers,
        agent: false,
      });
      let done = false;
      const finish = (err, socket) => {
        if (done) return;
        done = true;
        callback(err, socket);
      };
      connect.once('connect', (res, socket) => {
        if (res.statusCode !== 200) {
          socket.destroy();
          const err = new Error(`the proxy answered CONNECT with HTTP ${res.statusCode}`);
          err.code = 'ERR_PROXY_CONNECT';
          finish(err);
          return;
        }
        if (!secure) {
          finish(null, socket);
          return;
        }
        const servername = options.servername || options.host;
        finish(null, tls().connect({ ...options, socket, servername }));
      });
      connect.once('error', (e) => finish(e));
      connect.end();
      return undefined;
    }
  }
  return new TunnelAgent({ keepAlive: true });
}

/**
 * A transport over `node:http(s)`.
 * @param {{ agent?: http.Agent, proxy?: string }} [options] `agent` takes precedence over
 *   `proxy`; without either, two keep-alive agents are created for this transport.
 * @returns {((req: object) => Promise<object>) & { close(): void }}
 */
export function nodeTransport(options = {}) {
  const given = options.agent;
  /** The keep-alive agents of this transport, made on first use, one per scheme. */
  let agents = { http: null, https: null };
  const agentFor = (secure) => {
    if (given) return given;
    if (secure) {
      agents.https ??= options.proxy ? tunnelAgent(options.proxy, true) : new (https().Agent)({ keepAlive: true });
      return agents.https;
    }
    agents.http ??= options.proxy ? tunnelAgent(options.proxy, false) : new (http().Agent)({ keepAlive: true });
    return agents.http;
  };

  function send(req) {
    return new Promise((resolve, reject) => {
      let url;
      try {
        url = new URL(req.url);
      } catch {
        reject(new TypeError(`invalid URL ${redact(req.url)}`));
        return;
      }
      const secure = url.protocol === 'https:';
      const mod = secure ? https() : http();
      const headers = {};
      for (const [name, value] of req.headers) headers[name] = value;
      const body = req.method === 'GET' ? '' : req.body;
      if (req.method !== 'GET') headers['Content-Length'] = String(Buffer.byteLength(body));
      let r;
      try {
        r = mod.request(url, {
          method: req.method,
          headers,
          agent: agentFor(secure),
          signal: req.signal,
        });
      } catch (e) {
        reject(e);
        return;
      }
      // Whether the connection this request uses was established (TCP, and TLS for https):
      // an error before that proves that nothing was sent (refused, DNS, TLS handshake,
      // proxy CONNECT), which lets core's retry policy retry any action.
      let established = false;
      r.once('socket', (socket) => {
        if (r.reusedSocket || (!socket.connecting && !socket.encrypted)) {
          established = true;
          return;
        }
        socket.once(socket.encrypted ? 'secureConnect' : 'connect', () => {
          established = true;
        });
      });
      r.once('error', (e) => {
        reject(!established || isConnectFailure(e) ? markNotSent(e) : e);
      });
      r.once('response', (res) => {
        const done = (answer) => resolve({ status: res.statusCode, headers: res.headers, ...answer });
        // Never more than maxBodyBytes in memory: a larger declared length stops at once,
        // a larger stream as soon as it passes the limit.
        if (declaredOver(res.headers['content-length'], req.maxBodyBytes)) {
          res.destroy();
          done({ body: new Uint8Array(0), oversize: true });
          return;
        }
        let chunks = [];
        let total = 0;
        let cut = false;
        res.on('data', (chunk) => {
          if (cut) return;
          total += chunk.length;
          if (total > req.maxBodyBytes) {
            cut = true;
            chunks = [];
            res.destroy();
            done({ body: new Uint8Array(0), oversize: true });
            return;
          }
          chunks.push(chunk);
        });
        res.once('end', () => {
          if (!cut) done({ body: concat(chunks, total) });
        });
        res.once('error', (e) => {
          if (!cut) reject(e);
        });
        res.once('aborted', () => {
          if (!cut) reject(Object.assign(new Error('the connection closed mid-response'), { code: 'ECONNRESET' }));
        });
      });
      r.end(body);
    });
  }

  send.close = () => {
    agents.http?.destroy();
    agents.https?.destroy();
    agents = { http: null, https: null };
  };
  return send;
}
