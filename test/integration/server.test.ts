import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { FAKE_MODELS, startFakeA1111, type FakeA1111 } from '../server/fakeA1111';
import { filesUnder, extensionLogText } from '../support/extensionLog';
import * as path from 'node:path';
import { startTestProxy } from '../server/proxy';
import { run, setSetting, testApi, useServer, viaApi, waitFor } from './helpers';

const LOGIN = { username: 'grace', password: 'p4ss-w0rd-in-secrets' };

/** Test Connection's outcome for the local server in its default dialect, signed in. */
function connectedTo(server: FakeA1111): unknown {
  return {
    status: 'connected',
    origin: server.url,
    model: FAKE_MODELS[0].title,
    modelCount: 3,
    authenticated: true,
    server: 'A1111 1.9 or later',
    lacks: ['controlnet', 'rembg'],
  };
}

describe('Server commands', () => {
  let server: FakeA1111 | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('Set Server stores the URL as a setting and the credentials only in SecretStorage', async () => {
    server = await startFakeA1111({ auth: LOGIN });
    const outcome = await viaApi('setServer', { url: `${server.url}/docs`, ...LOGIN });
    assert.equal(outcome.status, 'saved');
    assert.deepEqual(outcome.connection, connectedTo(server));
    assert.equal(vscode.workspace.getConfiguration('sdStudio').get('serverUrl'), server.url, 'a pasted /docs suffix is dropped');
    // Every file VS Code keeps on the server side: settings (User and Machine), caches, logs.
    const files = filesUnder(process.env.SD_TEST_USER_DATA_DIR!);
    const withUrl = files.filter((file) => file.endsWith('settings.json') && fs.readFileSync(file, 'utf8').includes(server!.url));
    assert.ok(withUrl.length > 0, 'the URL is in a settings file');
    const header = Buffer.from(`${LOGIN.username}:${LOGIN.password}`).toString('base64');
    const withSecret = files.filter((file) => {
      const bytes = fs.readFileSync(file);
      return bytes.includes(LOGIN.password) || bytes.includes(header);
    });
    assert.deepEqual(withSecret, [], 'neither the password nor the Authorization header is in any settings, cache or log file');
    assert.ok(
      files.some((file) => file.endsWith('Stable Diffusion Studio.log')),
      'the extension log was among the files checked',
    );
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('sdStudio')).includes(LOGIN.password));
  });

  it('Set Server takes no URL or password from outside: run with them, it only asks the user', async () => {
    server = await useServer();
    const other = await startFakeA1111({ auth: LOGIN });
    try {
      const secretsBefore = await viaApi('setServer', { url: server.url }); // the user's own, as before
      assert.equal(secretsBefore.status, 'saved');
      // What a `command:` link or another extension could do:
      const pending = vscode.commands.executeCommand('sdStudio.setServer', { url: other.url, ...LOGIN });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(vscode.workspace.getConfiguration('sdStudio').get('serverUrl'), server.url, 'the URL setting is unchanged while the box waits for the user');
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen'); // the user presses Escape
      assert.deepEqual(await pending, { status: 'cancelled' });
      assert.equal(vscode.workspace.getConfiguration('sdStudio').get('serverUrl'), server.url, 'the URL setting is unchanged');
      assert.equal(other.requests.length, 0, 'nothing was sent to the URL given as an argument');
      assert.equal((await run('sdStudio.testConnection')).status, 'connected');
      assert.ok(
        server.requests.every((r) => r.authorization === undefined),
        "no credentials were stored for the user's server either",
      );
    } finally {
      await other.close();
    }
  });

  it('Test Connection reports the current model and login state', async () => {
    server = await useServer({ auth: LOGIN }, LOGIN);
    const outcome = await run('sdStudio.testConnection');
    assert.deepEqual(outcome, connectedTo(server));
  });

  it('Test Connection names the kind of server and what it lacks; Select Model there says it cannot switch', async () => {
    server = await useServer({ flavor: 'koboldcpp' });
    const outcome = await run('sdStudio.testConnection');
    assert.equal(outcome.status, 'connected', JSON.stringify(outcome));
    assert.equal(outcome.server, 'koboldcpp 1.77');
    for (const missing of ['progress', 'interrupt', 'modelSwitch', 'reportsSeeds'])
      assert.ok((outcome.lacks as string[]).includes(missing), `lacks ${missing}`);
    // The panel's model list says so too, instead of offering a switch that cannot happen.
    const api = await testApi();
    const views: { fixedModel?: string }[] = [];
    const listening = api.panel.onDidPost((message) => message.type === 'server' && views.push(message.server));
    await vscode.commands.executeCommand('sdStudio.openPanel');
    // As the page does when it loads (a panel left open by an earlier test only comes forward).
    await api.panel.receive({ type: 'ready' });
    await waitFor('the panel to say the model is fixed', () => views.find((view) => view.fixedModel)?.fixedModel);
    assert.match(views.find((view) => view.fixedModel)!.fixedModel!, /^koboldcpp 1\.77 serves the model it was started with/);
    listening.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // It lists the one model it was started with (by its file's name, as koboldcpp does): picking
    // it changes nothing, another is not there to pick.
    const same = await viaApi('selectModel', FAKE_MODELS[0].model_name);
    assert.equal(same.status, 'unchanged', JSON.stringify(same));
    const switched = await viaApi('selectModel', FAKE_MODELS[1].title);
    assert.equal(switched.status, 'failed');
    assert.match(switched.message!, /has no model "v1-5-pruned-emaonly\.safetensors \[6ce0161689\]": run Select Model… to see the ones it offers/);
    assert.equal(server.requests.filter((r) => r.method === 'POST' && r.path === '/sdapi/v1/options').length, 0, 'nothing sent that would 404');
  });

  it('Clear Credentials removes them: the next request is unauthorized', async () => {
    server = await useServer({ auth: LOGIN }, LOGIN);
    assert.equal((await run('sdStudio.clearCredentials')).status, 'cleared');
    const outcome = await run('sdStudio.testConnection');
    assert.equal(outcome.kind, 'unauthorized');
    assert.match(outcome.message!, /requires a username and password/);
  });

  it("never sends one server's credentials to another server", async () => {
    server = await useServer({ auth: LOGIN }, LOGIN);
    const other = await startFakeA1111();
    try {
      await vscode.workspace.getConfiguration('sdStudio').update('serverUrl', other.url, vscode.ConfigurationTarget.Global);
      assert.equal((await run('sdStudio.testConnection')).status, 'connected');
      assert.ok(other.requests.length > 0);
      assert.ok(
        other.requests.every((r) => r.authorization === undefined),
        'no Authorization header went to the other origin',
      );
    } finally {
      await other.close();
    }
  });

  it('warns once per host when credentials would travel over plain http to another machine', async () => {
    // This machine's own non-loopback address stands in for "another machine".
    const address = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && !i.internal && i.family === 'IPv4')?.address;
    assert.ok(address, 'a non-loopback IPv4 address');
    server = await startFakeA1111({ host: '0.0.0.0', auth: LOGIN });
    const url = `http://${address}:${new URL(server.url).port}`;
    const warning = `[trust] sending credentials over plain http to ${new URL(url).host}`;
    const logBefore = extensionLogText(process.env.SD_TEST_USER_DATA_DIR!).length;
    assert.equal((await viaApi('setServer', { url, ...LOGIN })).status, 'saved');
    assert.equal((await run('sdStudio.testConnection')).status, 'connected');
    const lines = extensionLogText(process.env.SD_TEST_USER_DATA_DIR!)
      .slice(logBefore)
      .split('\n')
      .filter((line) => line.includes(warning));
    assert.equal(lines.length, 1, 'warned once, not on every request');
  });

  it('reports a server that is not running', async () => {
    server = await startFakeA1111();
    const url = server.url;
    await server.close();
    server = undefined;
    const outcome = await viaApi('setServer', { url });
    assert.equal(outcome.status, 'saved');
    const connection = outcome.connection as { kind: string; message: string };
    assert.equal(connection.kind, 'unreachable');
    assert.match(connection.message, /Cannot connect to http:\/\/127\.0\.0\.1:\d+: check that the server is running/);
  });

  it('the first failed connection says its likely cause; every one offers Connection Help', async () => {
    const api = await testApi();
    const notified: { message: string; labels: string[] }[] = [];
    const listening = api.onDidNotifyFailure((shown) => notified.push(shown));
    const failedConnection = async (url: string) => {
      const outcome = await viaApi('setServer', { url });
      const connection = outcome.connection as { status: string; message: string };
      assert.equal(connection.status, 'failed', JSON.stringify(outcome));
      const shown = notified.at(-1);
      assert.equal(shown?.message, connection.message, 'the notification says what the command returned');
      assert.deepEqual(shown?.labels, ['Set Server…', 'Connection Help', 'Show Log']);
      return connection.message;
    };
    try {
      await api.forgetOnboarding();
      const gone = await startFakeA1111();
      await gone.close();
      const port = new URL(gone.url).port;
      // code-server runs extensions on its own (remote) side, where 127.0.0.1 is that machine.
      const extension = vscode.extensions.all.find((e) => e.id.endsWith('.stable-diffusion-studio'));
      const remote = vscode.env.remoteName !== undefined && extension?.extensionKind === vscode.ExtensionKind.Workspace;
      assert.match(
        await failedConnection(gone.url),
        remote
          ? /^Cannot connect to .*\. The extension runs on the remote machine of this window, so 127\.0\.0\.1 is that machine/
          : new RegExp(`^Cannot connect to .*\\. Nothing answers on port ${port} of this computer: start the web UI with --api`),
      );
      server = await startFakeA1111({ api: false });
      assert.match(await failedConnection(server.url), /\(404 on \/sdapi\/v1\/.*\. A web UI answers here without its API: add --api to COMMANDLINE_ARGS/);
      await server.close();
      server = await useServer();
      assert.equal((await run('sdStudio.testConnection')).status, 'connected');
      assert.doesNotMatch(await failedConnection(gone.url), /Nothing answers|remote machine/, 'once a connection has worked, the sentence is short again');
    } finally {
      listening.dispose();
    }
  });

  it('Select Model switches the checkpoint through the options endpoint', async () => {
    server = await useServer({ modelLoadMs: 200 });
    const outcome = await viaApi('selectModel', 'v1-5-pruned-emaonly');
    assert.deepEqual(outcome, { status: 'switched', model: FAKE_MODELS[1].title });
    const posted = server.requestsTo('/sdapi/v1/options').filter((r) => r.method === 'POST');
    assert.deepEqual(
      posted.map((r) => r.body),
      [{ sd_model_checkpoint: FAKE_MODELS[1].title }],
    );
    assert.deepEqual(await viaApi('selectModel', FAKE_MODELS[1].title), { status: 'unchanged', model: FAKE_MODELS[1].title });
  });

  it('a named server remembers the model chosen there: requests ask for it even after someone else switched the server', async () => {
    server = await startFakeA1111({});
    const box = await startFakeA1111({});
    const { servers } = await testApi();
    try {
      await servers.add('Local 4090', { baseUrl: server.url });
      await servers.add('Box', { baseUrl: box.url });
      assert.equal((await servers.select('Local 4090')).status, 'selected');
      assert.equal((await viaApi('selectModel', 'v1-5-pruned-emaonly')).status, 'switched');
      assert.equal(servers.list().find((p) => p.name === 'Local 4090')?.model, FAKE_MODELS[1].title);
      // Someone else loads another model on the shared server.
      server.currentModel = FAKE_MODELS[0].title;
      assert.equal((await viaApi('generateFromSelection', { prompt: 'with my model' })).status, 'saved');
      const sent = server.requestsTo('/sdapi/v1/txt2img').at(-1)?.body as Record<string, unknown>;
      assert.deepEqual(sent.override_settings, { sd_model_checkpoint: FAKE_MODELS[1].title }, 'our model, for this request');
      assert.equal(sent.override_settings_restore_afterwards, true, 'theirs is restored afterwards');
      assert.equal(server.currentModel, FAKE_MODELS[0].title, "the server's own choice is left alone");

      assert.equal((await servers.select('Box')).status, 'selected');
      assert.equal((await viaApi('generateFromSelection', { prompt: 'no model chosen here' })).status, 'saved');
      const plain = box.requestsTo('/sdapi/v1/txt2img').at(-1)?.body as Record<string, unknown>;
      assert.equal(plain.override_settings, undefined, 'a server without a chosen model uses its own');
    } finally {
      for (const profile of servers.list()) await servers.remove(profile.name);
      await box.close();
    }
  });

  it("goes through VS Code's http.proxy and trusts sdStudio.tls.caFile; the login goes to the server only", async () => {
    const fixture = (name: string) => path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'tls', name);
    server = await startFakeA1111({
      tls: { key: fs.readFileSync(fixture('sd-example-test.key'), 'utf8'), cert: fs.readFileSync(fixture('sd-example-test.crt'), 'utf8') },
      auth: LOGIN,
    });
    const proxy = await startTestProxy();
    const http = vscode.workspace.getConfiguration('http');
    try {
      await http.update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
      await setSetting('tls.caFile', fixture('sd-example-test.crt'));
      const url = `https://sd.example.test:${new URL(server.url).port}`;
      const outcome = await viaApi('setServer', { url, ...LOGIN });
      assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
      assert.equal((outcome.connection as { status: string }).status, 'connected', JSON.stringify(outcome.connection));
      assert.ok(
        proxy.requests.length > 0 && proxy.requests.every((r) => r.method === 'CONNECT' && r.authorization === undefined),
        JSON.stringify(proxy.requests),
      );
      assert.ok(server.requests.filter((r) => r.path.startsWith('/sdapi')).every((r) => r.authorization !== undefined && r.proxyAuthorization === undefined));
    } finally {
      await http.update('proxy', undefined, vscode.ConfigurationTarget.Global);
      await setSetting('tls.caFile', undefined);
      await proxy.close();
    }
  });

  it('named servers: add two, select each (requests and logins follow), rename, and removing one forgets its login', async () => {
    const other = { username: 'linus', password: 'second-secret' };
    server = await startFakeA1111({ auth: LOGIN });
    const team = await startFakeA1111({ auth: other });
    const { servers } = await testApi();
    const basic = (login: typeof LOGIN) => `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`;
    try {
      assert.equal((await servers.add('Local 4090', { baseUrl: server.url, credentials: LOGIN })).status, 'saved');
      const added = await servers.add('Team space', { baseUrl: team.url, credentials: other });
      assert.equal((added as { connection: { status: string } }).connection.status, 'connected', JSON.stringify(added));
      assert.equal(servers.active()?.name, 'Team space', 'the added server is the one in use');
      assert.deepEqual(vscode.workspace.getConfiguration('sdStudio').inspect('servers')?.globalValue, [
        { name: 'Local 4090', url: server.url },
        { name: 'Team space', url: team.url },
      ]);

      const selected = await servers.select('Local 4090');
      assert.equal(selected.status, 'selected', JSON.stringify(selected));
      assert.equal(vscode.workspace.getConfiguration('sdStudio').get('serverUrl'), server.url);
      const made = await viaApi('generateFromSelection', { prompt: 'on the local GPU' });
      assert.equal(made.status, 'saved', JSON.stringify(made));
      assert.equal(server.requestsTo('/sdapi/v1/txt2img').at(-1)?.authorization, basic(LOGIN), "the selected server's own login");
      assert.equal(team.requestsTo('/sdapi/v1/txt2img').length, 0);

      // The panel switches too, to a name the user's list has; the page cannot name another.
      const api = await testApi();
      const views: unknown[] = [];
      const listening = api.panel.onDidPost((message) => message.type === 'server' && views.push(message.server));
      await vscode.commands.executeCommand('sdStudio.openPanel');
      await api.panel.receive({ type: 'selectServer', name: 'Team space' });
      assert.equal(vscode.workspace.getConfiguration('sdStudio').get('serverUrl'), team.url);
      await api.panel.receive({ type: 'selectServer', name: 'Elsewhere' });
      assert.equal(vscode.workspace.getConfiguration('sdStudio').get('serverUrl'), team.url, 'an unknown name changes nothing');
      const expected = JSON.stringify([
        { name: 'Local 4090', active: false },
        { name: 'Team space', active: true },
      ]);
      await waitFor('the panel to show the servers', () =>
        views.some((view) => JSON.stringify((view as { profiles?: unknown }).profiles) === expected) ? true : undefined,
      );
      listening.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      assert.equal((await servers.select('Local 4090')).status, 'selected');

      // A server's own defaults: the team server is SDXL, generated at 1024 × 1024 there only.
      const config = vscode.workspace.getConfiguration('sdStudio');
      await config.update(
        'servers',
        servers.list().map((p) => (p.name === 'Team space' ? { ...p, generation: { width: 1024, height: 1030 } } : p)),
        vscode.ConfigurationTarget.Global,
      );
      assert.equal((await servers.select('Team space')).status, 'selected');
      assert.equal((await viaApi('generateFromSelection', { prompt: 'on the SDXL server' })).status, 'saved');
      const sdxl = team.requestsTo('/sdapi/v1/txt2img').at(-1)?.body as { width: number; height: number };
      assert.deepEqual([sdxl.width, sdxl.height], [1024, 1032], "the server's own size, snapped to the grid like the settings");
      assert.equal((await servers.select('Local 4090')).status, 'selected');
      assert.equal((await viaApi('generateFromSelection', { prompt: 'on the local GPU again' })).status, 'saved');
      assert.equal((server.requestsTo('/sdapi/v1/txt2img').at(-1)?.body as { width: number }).width, 512, 'the settings elsewhere');

      assert.equal((await servers.add('local 4090', { baseUrl: team.url })).status, 'failed', 'names are unique, whatever the case');
      assert.equal((await servers.rename('Team space', 'GPU box')).status, 'done');
      assert.deepEqual(
        servers.list().map((p) => p.name),
        ['Local 4090', 'GPU box'],
      );

      assert.equal((await servers.remove('GPU box')).status, 'done');
      assert.deepEqual(
        servers.list().map((p) => p.name),
        ['Local 4090'],
      );
      // Its login is gone: named again without one, the team server refuses.
      const again = await servers.add('Team again', { baseUrl: team.url });
      assert.equal((again as { connection: { kind?: string } }).connection.kind, 'unauthorized', JSON.stringify(again));
    } finally {
      for (const profile of servers.list()) await servers.remove(profile.name);
      await team.close();
    }
  });

  it('a pool: a batch spread over the servers that have the model, each with its own login, saved once each; choosing one server stops it', async () => {
    const other = { username: 'linus', password: 'second-secret' };
    server = await startFakeA1111({ auth: LOGIN, stepDelayMs: 5 });
    const second = await startFakeA1111({ auth: other, stepDelayMs: 5 });
    const otherModel = await startFakeA1111({ models: ['v1-5-pruned-emaonly'] });
    const { servers, pool } = await testApi();
    const basic = (login: typeof LOGIN) => `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`;
    try {
      await servers.add('Local 4090', { baseUrl: server.url, credentials: LOGIN });
      await servers.add('Box', { baseUrl: second.url, credentials: other });
      await servers.add('Old box', { baseUrl: otherModel.url });
      assert.equal((await servers.select('Local 4090')).status, 'selected');
      assert.equal((await pool.setMembers(['Local 4090', 'Box'])).status, 'done');
      assert.equal((await pool.use(true)).status, 'done');
      assert.equal((await pool.setMembers(['Local 4090', 'Box', 'Old box'])).status, 'done');
      await setSetting('generation.batchCount', 6);
      await setSetting('generation.seed', 4000);
      const made = await viaApi('generateFromSelection', { prompt: 'six icons, three servers' });
      assert.equal(made.status, 'saved', JSON.stringify(made));
      assert.equal(made.files?.length, 6);
      assert.equal(new Set(made.files).size, 6, 'six different files');
      assert.deepEqual(made.seeds, [4000, 4001, 4002, 4003, 4004, 4005]);
      const local = server.requestsTo('/sdapi/v1/txt2img');
      const box = second.requestsTo('/sdapi/v1/txt2img');
      assert.ok(local.length > 0 && box.length > 0, `spread: ${local.length} + ${box.length}`);
      assert.equal(local.length + box.length, 6);
      assert.equal(otherModel.requestsTo('/sdapi/v1/txt2img').length, 0, 'the server without the model is left out');
      assert.ok(
        local.every((r) => r.authorization === basic(LOGIN)),
        "each server's own login",
      );
      assert.ok(box.every((r) => r.authorization === basic(other)));
      assert.ok(
        otherModel.requests.every((r) => r.authorization === undefined),
        'no login to a server that has none',
      );
      for (const file of made.files ?? []) assert.ok(fs.existsSync(vscode.Uri.parse(file).fsPath), file);

      // Choosing one server uses it alone.
      assert.equal((await servers.select('Box')).status, 'selected');
      await setSetting('generation.batchCount', 2);
      assert.equal((await viaApi('generateFromSelection', { prompt: 'only on the box' })).status, 'saved');
      assert.equal(server.requestsTo('/sdapi/v1/txt2img').length, local.length, 'the pool rests');
      assert.equal(second.requestsTo('/sdapi/v1/txt2img').length, box.length + 1);
      // The panel offers the pool as a choice of its own.
      const api = await testApi();
      const views: unknown[] = [];
      const listening = api.panel.onDidPost((message) => message.type === 'server' && views.push(message.server));
      await vscode.commands.executeCommand('sdStudio.openPanel');
      await api.panel.receive({ type: 'usePool' });
      assert.equal(vscode.workspace.getConfiguration('sdStudio').inspect('usePool')?.globalValue, true);
      await waitFor('the panel to show the pool in use', () =>
        views.some((view) => JSON.stringify((view as { pool?: unknown }).pool) === JSON.stringify({ label: 'Pool: Local 4090 + Box + Old box', active: true }))
          ? true
          : undefined,
      );
      listening.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');

      await servers.add('Same GPU', { baseUrl: server.url, credentials: LOGIN });
      const twice = await pool.setMembers(['Local 4090', 'Same GPU']);
      assert.equal(twice.status, 'failed');
      assert.match((twice as { message: string }).message, /^"Local 4090" and "Same GPU" are the same server \(.+\): a pool needs different servers\.$/);
    } finally {
      await setSetting('generation.batchCount', undefined);
      await setSetting('generation.seed', undefined);
      await vscode.workspace.getConfiguration('sdStudio').update('usePool', undefined, vscode.ConfigurationTarget.Global);
      for (const profile of servers.list()) await servers.remove(profile.name);
      await second.close();
      await otherModel.close();
    }
  });

  it('Select Model names a model the server does not have', async () => {
    server = await useServer();
    const outcome = await viaApi('selectModel', 'no-such-model');
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.message!, /has no model "no-such-model"/);
  });
});
