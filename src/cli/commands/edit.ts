import { spawn } from 'node:child_process';
import { UserError } from '../../common/diagnostics.js';
import { VERSION } from '../../common/version.js';
import type { Io } from '../output.js';

/** Opens the address in the system browser; if none can be started the printed address is enough. */
function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url];
  try {
    const child = spawn(cmd[0]!, cmd.slice(1), { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // The URL is printed either way.
  }
}

export async function editCommand(target: string, opts: { port?: string; open?: boolean; json?: boolean }, io: Io): Promise<number> {
  const port = opts.port === undefined ? 0 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserError([{ severity: 'error', code: 'usage.port', message: `--port 应为 0–65535 的整数（实际为 ${opts.port}）` }], 2);
  }
  const { startEdit } = await import('../../edit/index.js');
  let server;
  try {
    server = await startEdit(target, { port, version: VERSION });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UserError([{ severity: 'error', code: 'usage.port', message: `端口 ${port} 已被占用，请换一个 --port，或不指定端口` }], 2);
    }
    throw err;
  }
  // A server has no result to print as JSON; --json gives a script the address to drive it.
  if (opts.json) io.out(JSON.stringify({ url: server.url, port: server.port, token: server.token }));
  else {
    io.out(`编辑器已启动：${server.url}`);
    io.out('（只在本机可访问；按 Ctrl-C 退出）');
  }
  if (opts.open !== false && !opts.json) openBrowser(server.url);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  if (!opts.json) io.out('编辑器已退出');
  return 0;
}
