/** The office's view of a folder: every applicant, the quotas, the recommended list. */
export function OfficePage() {
  return <p>申报单位汇总</p>;
}
