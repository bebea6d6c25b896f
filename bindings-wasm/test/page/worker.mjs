// A module worker: import maps do not reach workers, so it imports the package's browser
// entry by its path (given in the config), then makes one call.
self.onmessage = async ({ data: cfg }) => {
  try {
    const ess = await import(`/pkg/${cfg.entry}`);
    const client = new ess.Client({
      credential: { secretId: cfg.secretId, secretKey: cfg.secretKey },
      region: '',
      profile: { httpProfile: { endpoint: cfg.emulator, reqTimeout: 20 } },
    });
    const res = await client.DescribeUsage(cfg.usage);
    // An edge webhook handler: open a callback body in the worker.
    const key = '0123456789ABCDEFfedcba9876543210';
    const sealed = await ess.sealCallback('{"MsgId":"w1","MsgType":"OrgAuth","MsgVersion":"v","MsgData":{}}', { key, token: 't' });
    const ev = await ess.openCallback(sealed.body, { key, token: 't', signature: sealed.signature });
    self.postMessage({
      ok: typeof res.RequestId === 'string' && ev.MsgId === 'w1',
      detail: `RequestId ${res.RequestId}, callback ${ev.MsgType}`,
    });
  } catch (e) {
    self.postMessage({ ok: false, detail: String(e?.stack ?? e) });
  }
};
