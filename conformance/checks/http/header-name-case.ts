import { defineCheck, MODERN_VERSIONS } from '../../check.js';
import { describeAnswer } from '../../kit/http-answer.js';
import { modernPost } from '../../kit/http-session.js';

/** `mCp-PrOtOcOl-VeRsIoN`: a spelling no implementation would compare against by accident. */
function oddCase(name: string): string {
  return [...name].map((c, i) => (i % 2 === 0 ? c.toLowerCase() : c.toUpperCase())).join('');
}

/**
 * Header names are case-insensitive (M-HTTP-046): the mirrored request-metadata headers sent
 * in an unusual spelling must be taken like the canonical ones.
 */
export default defineCheck({
  id: 'http/header-name-case',
  title: 'Mirrored headers are recognised whatever the case of their names',
  requirements: ['M-HTTP-046'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: ['http'],
  async run(ctx) {
    const methods = ['server/discover', ...(ctx.hasCapability('tools') ? ['tools/list'] : [])];
    for (const method of methods) {
      const base = modernPost(ctx, method);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(base.headers)) headers[name.startsWith('mcp-') ? oddCase(name) : name] = value;
      const spec = { ...base, headers };
      const answer = await ctx.http(spec);
      ctx.expect(answer.status >= 200 && answer.status < 300, `${method} with its headers named ${Object.keys(headers).filter((n) => /^mcp-/i.test(n)).join(', ')} was answered with ${describeAnswer(answer)}`, { expected: 'the same answer as with canonical header names: HTTP 2xx', observed: describeAnswer(answer), http: spec });
    }
  },
});
