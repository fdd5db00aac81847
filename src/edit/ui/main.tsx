/**
 * The page's router: `#/applicant/<id>` opens one applicant's editor; otherwise a folder shows the
 * office's view and a file opens its one applicant (id "0").
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { WorkspaceInfo } from '../protocol.js';
import { api } from './api.js';
import { EditorPage } from './editor/EditorPage.js';
import { OfficePage } from './office/OfficePage.js';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function App() {
  const [info, setInfo] = useState<WorkspaceInfo | undefined>();
  const [error, setError] = useState<string | undefined>();
  const hash = useHash();
  useEffect(() => {
    api<WorkspaceInfo>('/api/info').then(setInfo, (e: Error) => setError(e.message));
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!info) return <p>正在加载……</p>;
  const m = /^#\/applicant\/(.+)$/.exec(hash);
  if (m) {
    return (
      <>
        {/* In a folder, the office's view is one step back; the editor's session (and any unsaved change) stays open on the server. */}
        {info.mode === 'folder' && (
          <nav class="office-back" aria-label="返回" style={{ padding: "4px 16px", fontSize: "14px" }}>
            <a href="#/">← 返回申报单位汇总</a>
          </nav>
        )}
        <EditorPage id={decodeURIComponent(m[1]!)} />
      </>
    );
  }
  return info.mode === 'folder' ? <OfficePage /> : <EditorPage id="0" />;
}

render(<App />, document.getElementById('app')!);
