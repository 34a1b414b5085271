// Zenn's own tools, for checking newsdesk's Zenn export against what Zenn
// does with it: its Markdown renderer (zenn-markdown-html, markdown-it with
// Zenn's plugins) and its front matter validator (zenn-model, the rules the
// Zenn CLI and the site apply to an article). Plus a way to compare two
// HTML renderings of one issue by what a reader sees, not by markup.
import yaml from 'js-yaml';
import markdownToHtml from 'zenn-markdown-html';
import zennModel from 'zenn-model';

/** Where zenn.dev loads its embeds from; without it the renderer makes no link cards. */
const EMBED_ORIGIN = 'https://embed.zenn.studio';

/**
 * Splits an export into its front matter (the YAML between the `---`
 * lines, parsed with js-yaml as the Zenn CLI's gray-matter does) and the
 * Markdown body Zenn renders.
 */
export function splitFrontMatter(markdown) {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(markdown);
  if (!match) return { yaml: null, meta: null, body: markdown };
  return { yaml: match[1], meta: yaml.load(match[1]), body: markdown.slice(match[0].length) };
}

/** The body as zenn.dev shows it (HTML). */
export async function renderZenn(body) {
  return markdownToHtml(body, { embedOrigin: EMBED_ORIGIN });
}

/**
 * Zenn's checks of an article's front matter: an array of
 * `{ type, isCritical, message }`, empty when Zenn accepts it. `slug` is the
 * file name the article would have in a Zenn repository (Zenn checks it too).
 */
export function validateZennArticle(meta, slug) {
  return zennModel.validateArticle({ ...meta, slug });
}

/**
 * What a reader gets from an HTML fragment, in order, as plain strings:
 * `h2 Title` / `h3 Title` for headings, `card URL` for a link card,
 * `p text` for paragraphs (a line break is `⏎`), `li text`, `quote` around
 * blockquotes, and `link URL` for every link. Markup that differs between
 * renderers without changing what is shown (ids, heading anchors, the
 * hidden duplicate link Zenn puts after a card, attributes) is left out.
 * Runs in the browser (`page.evaluate(outlineInPage, html)`), so the HTML
 * is parsed the way a reader's browser parses it.
 */
export function outlineInPage(html) {
  const doc = new DOMParser().parseFromString(`<div id="root">${html}</div>`, 'text/html');
  const out = [];
  // A card is Zenn's embed (the URL, encoded, in its iframe's data-content)
  // or newsdesk's span.link-card around the link.
  const cardUrl = (el) => {
    if (el.matches('span.zenn-embedded-card')) {
      return decodeURIComponent(el.querySelector('iframe')?.dataset.content ?? '');
    }
    if (el.matches('span.link-card')) return el.querySelector('a')?.getAttribute('href') ?? '';
    return null;
  };
  const hidden = (a) => (a.getAttribute('style') ?? '').replace(/\s/g, '').includes('display:none');
  const text = (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('span.zenn-embedded-card, span.link-card, a.header-anchor-link').forEach((n) => n.remove());
    copy.querySelectorAll('a').forEach((a) => { if (hidden(a)) a.remove(); });
    copy.querySelectorAll('br').forEach((br) => br.replaceWith('⏎'));
    return copy.textContent.replace(/\s+/g, ' ').replace(/ ?⏎ ?/g, '⏎').trim();
  };
  const links = (el) => [...el.querySelectorAll('a[href]')]
    .filter((a) => !hidden(a) && !a.matches('a.header-anchor-link') && !a.closest('span.link-card, span.zenn-embedded-card'))
    .forEach((a) => out.push(`link ${a.getAttribute('href')}`));
  const walk = (parent) => {
    for (const el of parent.children) {
      const tag = el.tagName.toLowerCase();
      if (/^h[1-6]$/.test(tag)) {
        out.push(`${tag} ${text(el)}`);
        links(el);
      } else if (tag === 'p') {
        el.querySelectorAll('span.zenn-embedded-card, span.link-card').forEach((card) => out.push(`card ${cardUrl(card)}`));
        const words = text(el);
        if (words) out.push(`p ${words}`);
        links(el);
      } else if (tag === 'ul' || tag === 'ol') {
        for (const li of el.children) {
          out.push(`li ${text(li)}`);
          links(li);
        }
      } else if (tag === 'blockquote') {
        out.push('quote');
        walk(el);
        out.push('end quote');
      } else if (tag === 'span' && cardUrl(el) !== null) {
        out.push(`card ${cardUrl(el)}`);
      } else {
        out.push(`${tag} ${text(el)}`);
        links(el);
      }
    }
  };
  walk(doc.getElementById('root'));
  return out;
}
