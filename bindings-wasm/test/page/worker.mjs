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
    self.postMessage({ ok: typeof res.RequestId === 'string', detail: `RequestId ${res.RequestId}` });
  } catch (e) {
    self.postMessage({ ok: false, detail: String(e?.stack ?? e) });
  }
};
