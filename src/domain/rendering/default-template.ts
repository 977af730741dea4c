// The built-in certificate: what a site with no template of its own ships. A Liquid fragment like
// any site template (see README, "Certificate templates"): system fonts only, colours from the
// site's branding, one landscape page when printed (A4 or Letter: the printer's paper decides).
export const BUILT_IN_TEMPLATE_NAME = "Built-in default";

export const DEFAULT_TEMPLATE = String.raw`<style>
  @page { size: landscape; margin: 8mm; }
  .cert {
    --primary: {{ site.primary_color }};
    --accent: {{ site.secondary_color }};
    box-sizing: border-box; position: relative; margin: 0 auto; max-width: 1100px; aspect-ratio: 1.414 / 1;
    padding: 14px; background: #fffdf8; color: #1b1b1b; border: 3px solid var(--primary);
    font-family: "Iowan Old Style", "Palatino Linotype", Palatino, "Book Antiqua", Georgia, "DejaVu Serif", "Liberation Serif", serif;
    box-shadow: 0 10px 30px rgba(0, 0, 0, .12);
  }
  .cert-frame {
    box-sizing: border-box; height: 100%; border: 1px solid var(--accent); outline: 6px double var(--primary); outline-offset: -14px;
    display: flex; flex-direction: column; align-items: center; justify-content: space-between; text-align: center; padding: 44px 64px 30px;
    background: radial-gradient(ellipse at center, #ffffff 0%, #fffdf8 60%, #f8f3e6 100%);
  }
  .cert-logos { display: flex; gap: 28px; align-items: center; justify-content: center; min-height: 48px; }
  .cert-logos img { max-height: 56px; max-width: 220px; }
  .cert-platform { font: 600 15px/1.2 "DejaVu Sans", "Liberation Sans", system-ui, sans-serif; letter-spacing: .28em; text-transform: uppercase; color: var(--primary); }
  .cert-kind { margin: 10px 0 0; font-size: 40px; font-weight: normal; letter-spacing: .04em; color: var(--primary); }
  .cert-kind small { display: block; margin-top: 6px; font: 600 13px/1.2 "DejaVu Sans", "Liberation Sans", sans-serif; letter-spacing: .3em; text-transform: uppercase; color: #6b5220; }
  .cert-rule { width: 120px; height: 2px; margin: 14px auto; background: var(--accent); border: 0; }
  .cert-lead { margin: 0; font-size: 17px; font-style: italic; color: #444; }
  .cert-name { margin: 8px 0 6px; font-size: 46px; line-height: 1.15; color: #111; overflow-wrap: anywhere; }
  .cert-title { margin: 6px 0; font-size: 28px; line-height: 1.25; color: var(--primary); overflow-wrap: anywhere; }
  .cert-detail { margin: 4px 0; font-size: 16px; color: #333; }
  .cert-courses { margin: 6px auto 0; padding: 0; max-width: 820px; list-style: none; font: 13px/1.5 "DejaVu Sans", "Liberation Sans", sans-serif; color: #404040; }
  .cert-courses li { display: inline; }
  .cert-courses li + li::before { content: " · "; color: var(--accent); }
  /* Lines aligned at the bottom: a signatory without a signature image takes no empty space. */
  .cert-signatories { display: flex; gap: 48px; justify-content: center; align-items: flex-end; flex-wrap: wrap; margin-top: 10px; }
  .cert-signatory { min-width: 190px; font: 13px/1.35 "DejaVu Sans", "Liberation Sans", sans-serif; color: #333; }
  .cert-signatory .sig { height: 52px; display: flex; align-items: flex-end; justify-content: center; margin-bottom: 2px; }
  .cert-signatory .sig img { height: 48px; max-width: 200px; object-fit: contain; }
  .cert-signatory .line { border-top: 1px solid #555; margin: 0 auto 6px; width: 190px; }
  .cert-signatory strong { display: block; font-size: 14px; color: #111; }
  .cert-footer { width: 100%; display: flex; align-items: flex-end; justify-content: space-between; gap: 20px; font: 12px/1.45 "DejaVu Sans", "Liberation Sans", sans-serif; color: #404040; text-align: left; }
  .cert-footer .id { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 11px; }
  .cert-footer a { color: var(--primary); }
  .cert-qr { width: 78px; height: 78px; background: #fff; padding: 4px; border: 1px solid #ddd; }
  .cert-preview { position: absolute; top: 22px; right: 28px; padding: 3px 10px; border: 2px solid #b00020; color: #b00020; font: 700 12px sans-serif; letter-spacing: .2em; transform: rotate(4deg); }
  @media print {
    .cert { max-width: none; width: 100%; height: calc(100vh - 1px); aspect-ratio: auto; box-shadow: none; break-inside: avoid;
            -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  }
</style>
<article class="cert" aria-labelledby="cert-name">
  {% if preview %}<p class="cert-preview">PREVIEW</p>{% endif %}
  <div class="cert-frame">
    <header>
      <div class="cert-logos">
        {% if site.logo_url != "" %}<img src="{{ site.logo_url }}" alt="{{ site.platform_name }}">{% endif %}
        {% if organization and organization.logo_url != "" %}<img src="{{ organization.logo_url }}" alt="{{ organization.name }}">{% endif %}
        {% if site.logo_url == "" %}{% unless organization and organization.logo_url != "" %}<span class="cert-platform">{{ site.platform_name }}</span>{% endunless %}{% endif %}
      </div>
      <h1 class="cert-kind">
        {%- case certificate.mode -%}
          {%- when "verified" -%}Certificate of Achievement<small>Verified certificate</small>
          {%- when "professional" -%}Professional Certificate<small>Professional education</small>
          {%- when "honor" -%}Certificate of Achievement<small>Honor code certificate</small>
          {%- else -%}Program Certificate<small>{{ certificate.mode }}</small>
        {%- endcase -%}
      </h1>
    </header>
    <section aria-label="Recipient and achievement">
      <p class="cert-lead">This is to certify that</p>
      <p class="cert-name" id="cert-name">{{ learner.name }}</p>
      <hr class="cert-rule">
      <p class="cert-lead">{% if certificate.kind == "program" %}has successfully completed every course of the program{% else %}has successfully completed{% endif %}</p>
      <h2 class="cert-title">{{ certificate.title }}</h2>
      {% if program and program.courses.size > 0 %}<ul class="cert-courses" aria-label="Courses of the program">{% for c in program.courses %}<li>{{ c.title }}</li>{% endfor %}</ul>{% endif %}
      {% if organization %}<p class="cert-detail">offered by {{ organization.name }}{% if site.platform_name != organization.name %} through {{ site.platform_name }}{% endif %}</p>{% endif %}
      {% if attributes["course.grade"] %}<p class="cert-detail">Final grade: {{ attributes["course.grade"] }}</p>{% endif %}
    </section>
    {% if signatories.size > 0 %}
    <section class="cert-signatories" aria-label="Signatories">
      {% for s in signatories %}
      <div class="cert-signatory">
        {% if s.image_url != "" %}<div class="sig"><img src="{{ s.image_url }}" alt="Signature of {{ s.name }}"></div>{% endif %}
        <div class="line"></div>
        <strong>{{ s.name }}</strong>{{ s.title }}<br>{{ s.organization }}
      </div>
      {% endfor %}
    </section>
    {% endif %}
    <footer class="cert-footer">
      <div>
        Issued {{ credential.issue_date }}<br>
        Credential ID <span class="id">{{ credential.uuid }}</span><br>
        Verify at <a href="{{ credential.verify_url }}">{{ credential.verify_url }}</a>
        {% if site.copyright != "" %}<br>{{ site.copyright }}{% endif %}
      </div>
      <img class="cert-qr" src="{{ qr_code.data_uri }}" alt="QR code linking to the verification page of this certificate">
    </footer>
  </div>
</article>
`;
