// What the explorer page runs and wears besides GraphiQL's own bundle (explorer.ts serves both as
// files: the page's CSP allows no inline script). Plain ES2017 for the browser, kept as strings.

/** The query the explorer opens with: public fields, so it answers without a token. */
export const INITIAL_QUERY = `# Runs as the signed-in user,
# or the Token field's token.
query Explorer {
  site { domain name }
  branding { platformName }
}
`;

/**
 * Starts GraphiQL (the UMD globals React, ReactDOM and GraphiQL) with a fetcher that POSTs JSON to
 * /graphql with this site's cookies (`credentials: "same-origin"`: the session of a signed-in
 * browser) and, when the Token field holds one, an Authorization header (a bare token gets "Bearer ").
 * The token is read at each request and never stored.
 */
export const EXPLORER_JS = `"use strict";
(function () {
  var tokenField = document.getElementById("explorer-token");
  function authorization() {
    var token = tokenField.value.trim();
    if (!token) return undefined;
    return /^(Bearer|JWT)\\s/i.test(token) ? token : "Bearer " + token;
  }
  function fetcher(params, options) {
    var headers = { "Content-Type": "application/json", Accept: "application/graphql-response+json, application/json;q=0.9" };
    var extra = (options && options.headers) || {};
    Object.keys(extra).forEach(function (name) { headers[name] = extra[name]; });
    var auth = authorization();
    if (auth) headers.Authorization = auth;
    return fetch("/graphql", { method: "POST", headers: headers, body: JSON.stringify(params), credentials: "same-origin" })
      .then(function (response) { return response.json(); });
  }
  // GraphiQL 3 gives its CodeMirror 5 editors no accessible name, and a long line scrolls sideways
  // in a region the keyboard cannot reach. CodeMirror's own options set both (screenReaderLabel,
  // lineWrapping); each editor is the \`CodeMirror\` property of its wrapper element (CodeMirror 5's
  // documented API). Editors appear after React renders, and the response's when a result comes.
  function nameOf(wrapper) {
    if (wrapper.closest(".graphiql-query-editor")) return "Query";
    if (wrapper.closest(".graphiql-response")) return "Response";
    var tool = wrapper.closest(".graphiql-editor-tool");
    if (tool) return Array.prototype.indexOf.call(tool.children, wrapper.parentElement) === 0 ? "Variables" : "Headers";
    return "Editor";
  }
  function nameEditors() {
    document.querySelectorAll("#graphiql .CodeMirror").forEach(function (wrapper) {
      var editor = wrapper.CodeMirror;
      if (!editor || editor.getOption("screenReaderLabel")) return;
      editor.setOption("screenReaderLabel", nameOf(wrapper));
      editor.setOption("lineWrapping", true);
    });
  }
  new MutationObserver(nameEditors).observe(document.getElementById("graphiql"), { childList: true, subtree: true });
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: ${JSON.stringify(INITIAL_QUERY)}, shouldPersistHeaders: false })
  );
})();
`;

/** The Token bar above GraphiQL, and GraphiQL filling the rest of the window. */
export const EXPLORER_CSS = `html, body { margin: 0; height: 100%; }
body { display: flex; flex-direction: column; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; background: #fff; }
#explorer { flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column; }
.token-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px; padding: 8px 12px; border-bottom: 1px solid #d0d4da; background: #f6f7f9; }
.token-bar h1 { font-size: 16px; margin: 0 12px 0 0; }
.token-bar label { font-weight: 600; }
.token-bar input { flex: 1 1 240px; min-width: 0; max-width: 560px; padding: 6px 8px; font: inherit; border: 1px solid #6b7280; border-radius: 4px; }
.token-bar input:focus-visible { outline: 3px solid #0b5fff; outline-offset: 1px; }
.token-bar p { flex-basis: 100%; margin: 0; color: #4a4f57; font-size: 13px; }
#graphiql { flex: 1 1 auto; min-height: 0; }
/* A phone: the query above its result, not two columns a few words wide (the drag bar resizes sideways only). */
@media (max-width: 640px) {
  .graphiql-container .graphiql-session { flex-direction: column; }
  .graphiql-container .graphiql-horizontal-drag-bar { display: none; }
}
/* GraphiQL's light theme, darkened where its text is under WCAG AA's 4.5:1 on its backgrounds. */
body:not(.graphiql-dark) .graphiql-container, body:not(.graphiql-dark) .CodeMirror-info, body:not(.graphiql-dark) .CodeMirror-lint-tooltip,
body:not(.graphiql-dark) .graphiql-dialog, body:not(.graphiql-dark) .graphiql-tooltip, body:not(.graphiql-dark) [data-radix-popper-content-wrapper] {
  --color-secondary: 242, 51%, 50%; --color-tertiary: 188, 100%, 25%; --color-info: 208, 100%, 36%; --color-success: 158, 60%, 26%;
  --color-warning: 36, 100%, 28%; --color-error: 13, 93%, 40%; --alpha-secondary: .9;
}
`;
