/**
 * The office view's styles, placed by the page itself (the server's CSP allows inline styles) so
 * that the shared app.css stays the editor's.
 */
export const OFFICE_CSS = `
.office { padding: 16px 24px; max-width: 1400px; }
.office h1 { font-size: 22px; margin: 0 0 4px; }
.office code { font-family: ui-monospace, monospace; font-size: 0.9em; }
.office .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.office-rows { border-collapse: collapse; width: 100%; margin: 12px 0 24px; }
.office-rows caption { text-align: left; font-weight: bold; padding: 6px 0; }
.office-rows th, .office-rows td { border: 1px solid #ccc; padding: 6px 8px; vertical-align: top; text-align: left; }
.office-rows thead th { background: #f3f3f3; }
.office-rows tbody th { font-weight: normal; }
.office-rows .short, .office-rows .counts, .office .muted, .office .hint { color: #555; font-size: 0.9em; }
.office-rows .sort { font: inherit; font-weight: bold; background: none; border: none; padding: 0; cursor: pointer; }
.office-rows .row-eligible .verdict { color: #176f2c; }
.office-rows .row-not-eligible .verdict { color: #9a5b00; }
.office-rows .row-invalid .verdict { color: #b00020; }
.office-rows .problems { margin: 0; padding-left: 1.2em; font-size: 0.9em; }
.office-rows .problems .error { color: #b00020; }
.office-quotas .quota { border: 1px solid #ddd; border-radius: 4px; padding: 4px 12px; margin: 8px 0; }
.office-quotas .quota.over { border-color: #b00020; }
.office-quotas h3 { font-size: 16px; margin: 6px 0; }
.office-quotas .order li { margin: 4px 0; }
.office-quotas .quota-line .muted { margin-left: 1em; }
.office-quotas h3 .muted { font-weight: normal; }
.office-quotas .order .name { display: inline-block; min-width: 10em; }
.office .warn { color: #b00020; }
.office button { font: inherit; }
.office :focus-visible { outline: 2px solid #1a5fb4; outline-offset: 2px; }
.office .primary { padding: 6px 16px; }
.office .refusal { border: 1px solid #b00020; background: #fff3f3; padding: 4px 12px; margin-top: 8px; }
.office .written { color: #176f2c; }
`;
