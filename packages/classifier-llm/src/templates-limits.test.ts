import { describe, expect, it } from 'vitest';
import { parseTemplate, TemplateLimitError } from './templates.js';

describe('template limits', () => {
  it('refuses a literal range above the memory limit in code, not in text', () => {
    expect(() => parseTemplate('{% for i in (1..100000000) %}x{% endfor %}')).toThrow(
      /\(1\.\.100000000\) has 100,000,000 steps/,
    );
    expect(() =>
      parseTemplate('{{ (1..20) | join: "," }}', { parse_chars: 100, render_ms: 100, memory: 10 }),
    ).toThrow(/has 20 steps, more than the template memory limit \(10\)/);
    expect(() => parseTemplate('Rate it (1..100000000): {{ text }}')).not.toThrow();
    expect(() =>
      parseTemplate('x'.repeat(101), { parse_chars: 100, render_ms: 100, memory: 10 }),
    ).toThrow(/101 characters, more than template_limits.parse_chars \(100\)/);
  });

  it('stops a rendering over a limit with a template_limit error, and renders the rest as before', async () => {
    const template = parseTemplate('{% for i in (1..n) %}x{% endfor %}');
    expect(await template.render({ n: 3 })).toBe('xxx');
    const error = await template.render({ n: 100_000_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TemplateLimitError);
    expect((error as TemplateLimitError).code).toBe('template_limit');
    const slow = parseTemplate(
      '{% for i in (1..n) %}{% for j in (1..n) %}x{% endfor %}{% endfor %}',
      {
        parse_chars: 1000,
        render_ms: 50,
        memory: 10_000_000,
      },
    );
    const started = performance.now();
    await expect(slow.render({ n: 3000 })).rejects.toThrow(/template render limit exceeded/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
