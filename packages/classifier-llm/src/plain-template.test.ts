import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { plainTemplate, renderPlain } from './plain-template.js';
import { parseTemplate } from './templates.js';

/** Liquid as templates.ts configures it: the reference every rendering must equal. */
const liquid = new Liquid({ ownPropertyOnly: true, relativeReference: false });
const reference = (source: string, scope: Record<string, unknown>) =>
  liquid.parseAndRenderSync(source, scope) as string;

const sources = [
  'Spam? {{ text }}',
  '{{text}}',
  '{{ text }}{{ text }}',
  '{{\n\ttext\r\n}} and {{ title }}: {{ body }}!',
  'no substitution at all',
  '',
  'Category of: {{ text }}\nAnswer with one word. }} stray closing',
  '{{ size }} {{ first }} {{ last }}',
  '{{ missing }} stays empty',
  '{{ nil }}{{ true }}{{ empty }}',
  '{{ constructor }}|{{ toString }}',
  '{{ text | upcase }}',
  '{{- text -}}',
  ' {{- text }} ',
  '{% if text %}yes{% endif %}',
  '{{ metadata.title }}',
  '{{{ text }}}',
  '{{ text }}}',
];

const scopes: Record<string, unknown>[] = [
  {
    text: 'A "quoted" \\ text\nwith é, 😀 and {{ braces }} {% tags %}',
    title: 'T',
    body: '',
    size: 'S',
    first: 'F',
    last: 'L',
    metadata: { title: 'M' },
  },
  { text: 42, title: null, body: ['a', 'b'], size: true },
  { text: { toString: () => 'object' } },
  Object.assign(Object.create({ text: 'inherited' }), { title: 'own' }),
  { text: () => 'a function' },
  {},
];

describe('plain templates', () => {
  it('render exactly what Liquid renders, for every template and scope', async () => {
    let compared = 0;
    for (const source of sources)
      for (const scope of scopes) {
        let expected: string;
        try {
          expected = reference(source, scope);
        } catch {
          // Liquid refuses the template (`{{{ text }}}`): so does parseTemplate.
          expect(() => parseTemplate(source)).toThrow();
          continue;
        }
        const rendered = await parseTemplate(source).render(scope);
        expect(rendered, `${source} / ${Object.keys(scope)}`).toBe(expected);
        compared += 1;
      }
    expect(compared).toBeGreaterThan(100);
  });

  it('take only text with plain substitutions of own string values', () => {
    expect(plainTemplate('Spam? {{ text }}')).toEqual({ texts: ['Spam? ', ''], names: ['text'] });
    for (const source of [
      '{{ text | upcase }}',
      '{{- text }}',
      '{% if x %}{% endif %}',
      '{{ nil }}',
      '{{ constructor }}',
      '{{{ text }}}',
      '{{ a.b }}',
    ])
      expect(plainTemplate(source), source).toBeUndefined();
    const template = plainTemplate('{{ text }}!')!;
    expect(renderPlain(template, { text: 'hi' })).toBe('hi!');
    expect(renderPlain(template, { text: 1 })).toBeUndefined();
    expect(renderPlain(template, Object.create({ text: 'inherited' }))).toBeUndefined();
    expect(renderPlain(template, { text: 'hi', toLiquid: () => ({}) })).toBeUndefined();
  });
});
