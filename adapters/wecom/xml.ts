// WeCom callbacks are small flat XML documents (`<xml><ToUserName>…</ToUserName>…</xml>`, values
// mostly in CDATA). Parsing goes through fast-xml-parser, after its validator (the parser alone
// accepts mismatched tags); a DOCTYPE is refused outright because WeCom never sends one and entity
// definitions are the classic way to make an XML parser do unbounded work.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  // Ids such as CreateTime or AgentID stay strings ("0012" must not become 12).
  parseTagValue: false,
  trimValues: true,
  // The five predefined entities only; a DOCTYPE never reaches the parser.
  htmlEntities: false,
});

const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The text children of the root element, by name. Nested elements are skipped; a repeated element
 * makes the document invalid (WeCom never repeats one, so a repeat is a forgery attempt or garbage).
 */
export function parseXmlFields(xml: string): Record<string, string> {
  if (/<!DOCTYPE/i.test(xml)) throw new XmlError('DOCTYPE is not accepted');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new XmlError(`malformed XML: ${valid.err.msg}`);
  const document: unknown = parser.parse(xml);
  if (typeof document !== 'object' || document === null) throw new XmlError('no root element');
  const roots = Object.values(document);
  const root: unknown = roots[0];
  if (roots.length !== 1 || typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new XmlError('expected one root element with children');
  }
  const fields: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(root)) {
    if (Array.isArray(value)) throw new XmlError(`element <${name}> appears more than once`);
    if (typeof value === 'string') fields.push([name, value]);
  }
  return Object.fromEntries(fields);
}

/** `<xml>` with one element per field; strings in CDATA, numbers bare (WeCom's own layout). */
export function buildXml(fields: Record<string, string | number>): string {
  const body = Object.entries(fields)
    .map(([name, value]) => {
      if (!ELEMENT_NAME.test(name)) throw new XmlError(`invalid element name ${name}`);
      return typeof value === 'number' ? `<${name}>${value}</${name}>` : `<${name}>${cdata(value)}</${name}>`;
    })
    .join('');
  return `<xml>${body}</xml>`;
}

/** CDATA cannot contain "]]>": split it across two sections. */
function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
