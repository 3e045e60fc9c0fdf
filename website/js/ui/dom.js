/**
 * Small DOM helpers. Anything that comes from the server or a token is inserted with
 * textContent only, never as HTML.
 */
import { text } from '../site-config.js';

export function $(id) {
  return document.getElementById(id);
}

export function el(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined && content !== null) node.textContent = String(content);
  return node;
}

/** Appends text pieces, {code} and {text, href, id, external} links to node, as text. */
export function appendParts(node, parts) {
  for (const part of parts) {
    if (typeof part === 'string') {
      node.appendChild(document.createTextNode(part));
    } else if (part && part.code) {
      node.appendChild(el('code', null, part.code));
    } else if (part && part.href) {
      const a = el('a', part.className || null, part.text);
      a.href = part.href;
      if (part.id) a.id = part.id;
      if (part.external) {
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
      }
      node.appendChild(a);
    }
  }
  return node;
}

/** A paragraph made of parts, as appendParts takes them. */
export function sentence(className, parts) {
  return appendParts(el('p', className), parts);
}

/** page?email=... when there is an email to carry, else page. */
export function withEmail(page, email) {
  const e = text(email);
  return e ? `${page}?email=${encodeURIComponent(e)}` : page;
}

export function queryParam(name) {
  try {
    return new URLSearchParams(window.location.search).get(name) || '';
  } catch (e) {
    return '';
  }
}
