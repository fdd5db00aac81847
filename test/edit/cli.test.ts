import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasBuild, ROOT, spawnCli } from '../cli/helpers.js';
import { EXAMPLES_DIR } from '../fixtures/examples.js';

/** `shenbao edit` as users start it: the real binary, its exit codes and messages. */
const tmp = mkdtempSync(path.join(tmpdir(), 'shenbao-edit-cli-'));
const file = path.join(tmp, 'xuhui.yaml');
copyFileSync(path.join(EXAMPLES_DIR, 'xuhui-demo-district.yaml'), file);
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

/** Starts the binary and resolves with its first stdout line (the address) once printed. */
function start(args: string[]): Promise<{ child: ChildProcess; first: string; exit: Promise<{ code: number | null; out: string; err: string }> }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/shenbao.js'), ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  const exit = new Promise<{ code: number | null; out: string; err: string }>((done) => child.on('exit', (code) => done({ code, out, err })));
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('\n')) resolve({ child, first: out.split('\n')[0]!, exit });
    });
    void exit.then((r) => reject(new Error(`exited ${r.code} before printing: ${r.err}`)));
  });
}

describe.skipIf(!hasBuild)('shenbao edit (spawned; needs npm run build)', () => {
  it('a path that does not exist: exit 2 with the Chinese message, no stack', async () => {
    const r = await spawnCli(['edit', path.join(tmp, '没有这个文件.yaml'), '--no-open']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('找不到文件或文件夹');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('a port in use: exit 2 naming the port', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await spawnCli(['edit', file, '--no-open', '--port', String(port)]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`端口 ${port} 已被占用`);
    } finally {
      blocker.close();
    }
  });

  it('a port that is not a number: exit 2', async () => {
    const r = await spawnCli(['edit', file, '--no-open', '--port', 'abc']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--port');
  });

  it('prints the address, answers on it, and stops cleanly on Ctrl-C with exit 0', async () => {
    const { child, first, exit } = await start(['edit', file, '--no-open']);
    const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}/.exec(first)?.[0];
    expect(first).toContain('编辑器已启动');
    expect(url).toBeDefined();
    const u = new URL(url!);
    const info = await fetch(new URL('/api/info', u), { headers: { 'X-Shenbao-Token': u.searchParams.get('token')! } });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ mode: 'file', target: file });
    child.kill('SIGINT');
    const r = await exit;
    expect(r.code).toBe(0);
    expect(r.out).toContain('编辑器已退出');
    // The port is free again.
    await expect(fetch(new URL('/api/info', u))).rejects.toThrow();
  });

  it('--json prints the address as one JSON line; SIGTERM also exits 0', async () => {
    const { child, first, exit } = await start(['edit', file, '--json']);
    const j = JSON.parse(first) as { url: string; port: number; token: string };
    expect(j.url).toBe(`http://127.0.0.1:${j.port}/?token=${j.token}`);
    const state = await fetch(`http://127.0.0.1:${j.port}/api/applicants/0/state`, { headers: { 'X-Shenbao-Token': j.token } });
    expect(((await state.json()) as { revision: number }).revision).toBe(0);
    child.kill('SIGTERM');
    expect((await exit).code).toBe(0);
  });
});
