// The HTML of the learner records pages (the real service's /records/ pages): the learner's
// programs, one program's record, and the same record behind its public link. Functions of data
// only; every value passes through the escaping `html` tag.
import { formatDate } from "../domain/rendering/template-context.js";
import type { CertificateStatus, LearnerProgram, ProgramRecord, RecordCourse } from "../domain/records/program-records.js";
import { percent } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { page, type PageSite } from "./layout.js";
import { messagePage } from "./pages.js";
import { signInHref } from "./login-paths.js";

/** A uuid as the records' URLs write it: 32 hex digits (the LMS links /records/programs/<hex>). */
export const hex = (uuid: string) => uuid.replace(/-/g, "");
export const programRecordPath = (programUuid: string) => `/records/programs/${hex(programUuid)}/`;
export const sharedRecordPath = (shareUuid: string) => `/records/programs/shared/${hex(shareUuid)}/`;

const STATUS: Record<CertificateStatus, [label: string, badge: string]> = {
  awarded: ["Earned", "badge-ok"],
  revoked: ["Revoked", "badge-bad"],
  not_earned: ["Not earned", "badge-none"],
};
const badge = (status: CertificateStatus) => html`<span class="badge ${STATUS[status][1]}">${STATUS[status][0]}</span>`;

const gradeText = (grade: RecordCourse["grade"], lang: string) => (grade ? `${grade.letterGrade ? `${grade.letterGrade} · ` : ""}${percent(grade.percentGrade, lang)}` : "—");
const describe = (p: { programType: string; organization: string | null }) => [p.programType, p.organization].filter(Boolean).join(" · ");

/** The page a signed-out visitor gets instead of `next`: its "Sign in" comes back to it. */
export function recordsSignInPage(site: PageSite, next = "/records/"): string {
  return messagePage(
    site,
    "Sign in to see your learner records",
    `Your learner records show your progress in the programs of ${site.platformName}: your certificates and grades. You need to be signed in to see them.`,
    html`<p><a class="btn btn-primary" href="${signInHref(next)}">Sign in</a></p>`,
  );
}

export function recordsPage(site: PageSite, learner: { username: string; name: string }, programs: LearnerProgram[]): string {
  return page({
    title: "Learner records",
    lang: site.language,
    site,
    main: html`<h1>Your learner records</h1>
<p>Signed in as <strong>${learner.name}</strong> (${learner.username}). ${
      programs.length === 0
        ? `You have no program records on ${site.platformName} yet: a program appears here once you earn a certificate in one of its courses.`
        : `${programs.length} program${programs.length === 1 ? "" : "s"} on ${site.platformName}.`
    }</p>
${
  programs.length
    ? html`<ul class="cards records">
  ${programs.map(
    (p) => html`<li><h2><a href="${programRecordPath(p.uuid)}">${p.title}</a></h2><p>${describe(p)}</p>
    <p>${p.earned} of ${p.total} course${p.total === 1 ? "" : "s"} earned</p>
    <p>${p.completed ? html`<span class="badge badge-ok">Program completed</span>` : html`<span class="badge badge-none">In progress</span>`}</p></li>`,
  )}
</ul>`
    : ""
}
<p><a href="/learner">Your certificates</a></p>`,
  });
}

function coursesTable(record: ProgramRecord, lang: string): SafeHtml {
  return html`<table class="record">
  <caption>Courses in this program</caption>
  <thead><tr><th scope="col">Course</th><th scope="col">Status</th><th scope="col">Mode</th><th scope="col">Grade</th><th scope="col">Issued</th></tr></thead>
  <tbody>
  ${record.courses.map(
    (c) => html`<tr data-course="${c.courseId}">
    <th scope="row" data-label="Course">${c.credentialUuid ? html`<a href="/credentials/${c.credentialUuid}">${c.title}</a>` : c.title}<span class="course-key">${c.courseId}</span></th>
    <td data-label="Status">${badge(c.status)}</td>
    <td data-label="Mode">${c.mode ?? "—"}</td>
    <td data-label="Grade">${gradeText(c.grade, lang)}</td>
    <td data-label="Issued">${c.issuedAt ? formatDate(c.issuedAt, lang) : "—"}</td>
  </tr>`,
  )}
  </tbody>
</table>`;
}

function recordFacts(record: ProgramRecord, site: PageSite): SafeHtml {
  const p = record.programCertificate;
  return html`<dl class="facts">
  <dt>Learner</dt><dd>${record.learner.fullName} (${record.learner.username})</dd>
  <dt>Program</dt><dd>${describe(record.program) || record.program.title}</dd>
  <dt>Program certificate</dt><dd>${badge(p.status)}${p.issuedAt ? html` <span>issued ${formatDate(p.issuedAt, site.language)}</span>` : ""}${
    p.credentialUuid ? html` · <a href="/credentials/${p.credentialUuid}">View the certificate</a>` : ""
  }</dd>
  <dt>Platform</dt><dd>${site.platformName} (${site.domain})</dd>
</dl>`;
}

/** The learner's own view: the record, and the public link (made here, once, by a POST form). */
export function programRecordPage(site: PageSite, record: ProgramRecord, shareUrl: string | null): string {
  const share = shareUrl
    ? html`<p>Anyone with this link can see this record, without signing in:</p>
  <p class="share-link"><input type="text" readonly value="${shareUrl}" aria-label="Public link to this record" id="share-url"> <button type="button" class="btn" data-action="copy" data-url="${shareUrl}">Copy link</button>
  <a class="btn" href="${shareUrl}">Open</a></p>`
    : html`<p>Make a public link to share this record (for example with an employer or a university). Anyone with the link can see it.</p>
  <form method="post" action="${programRecordPath(record.program.uuid)}share"><button type="submit" class="btn btn-primary">Create a public link</button></form>`;
  return page({
    title: `${record.program.title} — learner record`,
    lang: site.language,
    site,
    main: html`<p class="no-print"><a href="/records/">All your records</a></p>
<h1>${record.program.title}</h1>
${recordFacts(record, site)}
${coursesTable(record, site.language)}
<section class="panel share-panel no-print" aria-labelledby="share-heading" id="share">
  <h2 id="share-heading">Share this record</h2>
  ${share}
  <p class="status-msg" id="status-msg" role="status" aria-live="polite"></p>
</section>`,
  });
}

/** What a public link shows: the record, for anyone. */
export function sharedRecordPage(site: PageSite, record: ProgramRecord): string {
  return page({
    title: `${record.program.title} — record of ${record.learner.fullName}`,
    lang: site.language,
    site,
    head: html`<meta name="robots" content="noindex">`,
    main: html`<h1>${record.program.title}</h1>
<p>The learner record of <strong>${record.learner.fullName}</strong>, shared by the learner, as ${site.platformName} holds it today.</p>
${recordFacts(record, site)}
${coursesTable(record, site.language)}`,
  });
}
