/** One applicant's form, diagnostics, check panel and preview (owned by the editor page's work). */
export function EditorPage(props: { id: string }) {
  return <p>申报数据编辑：{props.id}</p>;
}
