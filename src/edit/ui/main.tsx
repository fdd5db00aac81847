import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { WorkspaceInfo } from '../protocol.js';
import { api } from './api.js';

function App() {
  const [info, setInfo] = useState<WorkspaceInfo | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    api<WorkspaceInfo>('/api/info').then(setInfo, (e: Error) => setError(e.message));
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!info) return <p>正在加载……</p>;
  return (
    <main>
      <h1>{info.mode === 'folder' ? '申报单位汇总' : '申报数据编辑'}</h1>
      <p>{info.target}</p>
    </main>
  );
}

render(<App />, document.getElementById('app')!);
