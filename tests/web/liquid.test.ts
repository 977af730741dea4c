// The Liquid sandbox on its own: escaping by default, no file system, limits, syntax errors with
// their line; and the page helpers' escaping and share URLs.
// Opens no database under test: left out of the PostgreSQL run (vitest.config.ts SAME_ON_EVERY_DATABASE).
import { describe, expect, it } from "vitest";
import { InvalidError } from "../../src/domain/kernel/errors.js";
import { checkTemplateSyntax, renderLiquid, TemplateRenderError } from "../../src/domain/rendering/liquid.js";
import { DEFAULT_TEMPLATE } from "../../src/domain/rendering/default-template.js";
import { html, safeLang } from "../../src/web/html.js";
import { linkedInAddToProfileUrl } from "../../src/domain/rendering/share.js";
import { contentSecurityPolicy } from "../../src/web/security.js";

const env = { assetUrl: (n: string) => `/assets/${n}` };

describe("Liquid sandbox", () => {
  it("escapes every output unless the author writes | raw", () => {
    expect(renderLiquid("{{ x }}|{{ x | raw }}|{{ 'a' | append: x }}", { x: "<i>&" }, env)).toBe("&lt;i&gt;&amp;|<i>&|a&lt;i&gt;&amp;");
  });
  it("cannot read files", () => {
    for (const tag of ["{% include '/etc/passwd' %}", "{% render 'package.json' %}", "{% layout 'x' %}"]) {
      expect(() => renderLiquid(tag, {}, env)).toThrow(TemplateRenderError);
    }
  });
  it("stops runaway templates", () => {
    expect(() => renderLiquid("{% for i in (1..100000000) %}{{ i }}{% endfor %}", {}, env)).toThrow(/limit/);
  });
  it("reports syntax errors with their line and column", () => {
    const error = (() => {
      try {
        checkTemplateSyntax("a\nb\n  {{ x | nope }}");
      } catch (e) {
        return e as InvalidError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidError);
    expect(error!.fields).toEqual({ content: ["Liquid syntax error: undefined filter: nope (line 3, column 3)"] });
  });
  it("parses the built-in template", () => {
    expect(() => checkTemplateSyntax(DEFAULT_TEMPLATE)).not.toThrow();
  });
  it("resolves asset names", () => {
    expect(renderLiquid('{{ "logo.png" | asset_url }}', {}, env)).toBe("/assets/logo.png");
  });
  it("renders a cached parse with each render's own context and environment", () => {
    const template = '{{ who }} {{ "logo.png" | asset_url }}';
    expect(renderLiquid(template, { who: "a" }, { assetUrl: (n) => `https://a.example/${n}` })).toBe("a https://a.example/logo.png");
    expect(renderLiquid(template, { who: "b" }, { assetUrl: (n) => `https://b.example/${n}` })).toBe("b https://b.example/logo.png");
  });
});

describe("page helpers", () => {
  it("escapes interpolated values", () => {
    expect(html`<p title="${'"><x'}">${"<script>"}${[html`<b>${"&"}</b>`]}</p>`.value).toBe('<p title="&quot;&gt;&lt;x">&lt;script&gt;<b>&amp;</b></p>');
    expect(safeLang('en" onload="x')).toBe("en");
    expect(safeLang("pt-BR")).toBe("pt-BR");
  });
  it("builds LinkedIn's Add-to-profile URL with exactly its parameters, in order", () => {
    const url = linkedInAddToProfileUrl({
      title: "Data & AI",
      organizationName: "edX Institute",
      issueYear: 2024,
      issueMonth: 5,
      certUrl: "https://c.example.org/credentials/abc",
      certId: "abc",
    });
    expect(url).toBe(
      "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=Data%20%26%20AI&organizationName=edX%20Institute&issueYear=2024&issueMonth=5&certUrl=https%3A%2F%2Fc.example.org%2Fcredentials%2Fabc&certId=abc",
    );
  });
  it("allows only configured logo origins besides this service", () => {
    const csp = contentSecurityPolicy(["https://cdn.example.org/logo.png", "/assets/x.png", "javascript:alert(1)"]);
    expect(csp).toContain("img-src 'self' data: https://cdn.example.org;");
    expect(csp).not.toContain("javascript");
  });
});
