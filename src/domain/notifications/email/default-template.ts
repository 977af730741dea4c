// The built-in award email: MJML with Liquid, over the certificate's own template context (README,
// "Award emails"). Liquid sits where MJML keeps text as it is: inside mj-text and mj-button, in
// attribute values, and in mj-raw between components (MJML drops text anywhere else).

/** The subject line when the site sets none (Liquid, plain text). */
export const DEFAULT_SUBJECT = "You earned {{ certificate.title }}";

export const DEFAULT_EMAIL_TEMPLATE = `<mjml lang="{{ language }}">
  <mj-head>
    <mj-title>{{ email.subject }}</mj-title>
    <mj-attributes>
      <mj-all font-family="-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" />
      <mj-text font-size="16px" line-height="1.5" color="#1f2933" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f3f4f6">
    <mj-section background-color="{{ site.primary_color }}" padding="20px 24px">
      <mj-column>
        <mj-raw>{% if site.logo_url != "" %}</mj-raw>
        <mj-image src="{{ site.logo_url }}" alt="{{ site.platform_name }}" width="180px" align="left" padding="0" />
        <mj-raw>{% else %}</mj-raw>
        <mj-text color="#ffffff" font-size="20px" font-weight="bold" padding="0">{{ site.platform_name }}</mj-text>
        <mj-raw>{% endif %}</mj-raw>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="32px 24px 8px">
      <mj-column>
        <mj-text font-size="24px" font-weight="bold" line-height="1.3">Congratulations, {{ learner.name }}!</mj-text>
        <mj-text>You earned a {{ certificate.kind }} certificate on {{ site.platform_name }}.</mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="0 24px">
      <mj-column border-left="4px solid {{ site.secondary_color }}">
        <mj-text font-size="13px" color="#52606d" padding-bottom="0">CERTIFICATE</mj-text>
        <mj-text font-size="18px" font-weight="bold">{{ certificate.title }}</mj-text>
      </mj-column>
      <mj-column border-left="4px solid {{ site.secondary_color }}">
        <mj-text font-size="13px" color="#52606d" padding-bottom="0">ISSUED BY</mj-text>
        <mj-text font-size="18px" font-weight="bold">{% if organization %}{{ organization.name }}{% else %}{{ site.platform_name }}{% endif %}</mj-text>
        <mj-text font-size="13px" color="#52606d" padding-top="0">{{ credential.issue_date }}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="16px 24px 32px">
      <mj-column>
        <mj-button href="{{ credential.url }}" background-color="{{ site.primary_color }}" color="#ffffff" font-size="16px" font-weight="bold" border-radius="6px" inner-padding="14px 28px" align="left">View your certificate</mj-button>
        <mj-raw>{% if email.share_links.size > 0 %}</mj-raw>
        <mj-text font-size="14px" color="#52606d">Share it: {% for link in email.share_links %}<a href="{{ link.url }}" style="color: {{ site.primary_color }};">{{ link.label }}</a>{% unless forloop.last %} &middot; {% endunless %}{% endfor %}</mj-text>
        <mj-raw>{% endif %}</mj-raw>
      </mj-column>
    </mj-section>
    <mj-section padding="16px 24px">
      <mj-column>
        <mj-text font-size="12px" color="#52606d">You receive this email because you earned a certificate on {{ site.platform_name }}. Anyone with the link can verify it: {{ credential.verify_url }}{% if site.copyright != "" %}<br />{{ site.copyright }}{% endif %}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;
