import { fail, failMaybePropagating } from '../check-failure.ts';
import { hint } from '../hints.ts';
import { apiUrl, getApi, getRoutes } from '../lib/api.ts';
import { corsHeaders, headerList, preflight } from '../lib/http.ts';
import type { Check } from '../types.ts';

const METHOD = 'POST';
const HEADER = 'content-type';

/** Whether an HTTP API `allowOrigins` entry admits `origin` (exact, `*`, or a scheme wildcard `https://*`). */
export function originAllowed(allowed: readonly string[], origin: string): boolean {
  const scheme = new URL(origin).protocol;
  return allowed.some((a) => a === '*' || a.toLowerCase() === origin.toLowerCase() || a === `${scheme}//*`);
}

function listed(allowed: readonly string[], value: string): boolean {
  return allowed.some((a) => a === '*' || a.toLowerCase() === value.toLowerCase());
}

export const apiCors: Check = {
  id: 'api-cors',
  title: 'Frontend can call POST /upload-url',
  step: 'Update API Gateway CORS',
  needs: [],
  async run(ctx) {
    const origin = ctx.target.frontendOrigin;
    const url = apiUrl(ctx, '/upload-url');
    const [api, routes, live] = await Promise.all([
      getApi(ctx),
      getRoutes(ctx),
      preflight(url, origin, METHOD, [HEADER]),
    ]);
    const cors = api.CorsConfiguration;
    const evidence = {
      corsConfiguration: cors ?? null,
      preflight: { url, origin, status: live.status, headers: corsHeaders(live.headers) },
    };
    if (!cors) {
      fail(
        `API ${ctx.target.apiId} has no CORS configuration.`,
        hint('api-cors.not-configured', { api: ctx.target.apiId, origin }),
        evidence,
      );
    }
    const origins = cors.AllowOrigins ?? [];
    const methods = cors.AllowMethods ?? [];
    const headers = cors.AllowHeaders ?? [];
    if (!originAllowed(origins, origin)) {
      const slashed = origins.find((o) => o.replace(/\/+$/, '') === origin && o !== origin);
      const h = slashed
        ? hint('api-cors.origin-trailing-slash', { seen: slashed, origin })
        : hint('api-cors.origin-missing', { allowed: origins, origin });
      fail(`CORS allows origins [${origins.join(', ')}], not ${origin}.`, h, evidence);
    }
    if (!listed(methods, METHOD)) {
      fail(
        `CORS allows methods [${methods.join(', ')}], not POST.`,
        hint('api-cors.method-missing', { allowed: methods }),
        evidence,
      );
    }
    if (!listed(headers, HEADER)) {
      fail(
        `CORS allows headers [${headers.join(', ')}], not content-type.`,
        hint('api-cors.header-missing', { allowed: headers }),
        evidence,
      );
    }
    const allowOrigin = live.headers['access-control-allow-origin'] ?? '';
    const allowMethods = headerList(live.headers['access-control-allow-methods']);
    const allowHeaders = headerList(live.headers['access-control-allow-headers']);
    const ok =
      live.status < 300 &&
      (allowOrigin === '*' || allowOrigin === origin) &&
      (allowMethods.includes('*') || allowMethods.includes('post')) &&
      (allowHeaders.includes('*') || allowHeaders.includes(HEADER));
    if (!ok) {
      const greedy = routes.find((r) =>
        /^(ANY|OPTIONS) \/upload-url$|^\$default$|^(ANY|OPTIONS) \/\{proxy\+\}$/.test(r.RouteKey ?? ''),
      );
      const h = greedy
        ? hint('api-cors.preflight-routed', { routeKey: greedy.RouteKey ?? '' })
        : hint('api-cors.preflight-rejected', { api: ctx.target.apiId, status: live.status, allowOrigin });
      const seen = `The preflight for POST /upload-url from ${origin} answered ${live.status} without the CORS headers a browser needs.`;
      // A greedy route takes the preflight for good; otherwise the configuration is right and the
      // stage may not serve it yet (auto-deploys take seconds, §11.4).
      if (greedy) fail(seen, h, evidence);
      failMaybePropagating(seen, h, evidence);
    }
    return {
      summary: `CORS allows ${origin}, POST and content-type; the preflight answers ${live.status}`,
      ...evidence,
    };
  },
};
