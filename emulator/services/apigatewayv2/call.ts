import type { RequestContext } from '../../core/context.ts';
import type { RegionalApis } from './regional-apis.ts';

/**
 * What a control-plane handler gets: the request, the APIs of the request's region (the
 * region its signature is scoped to), and the path's labels.
 */
export interface Call {
  ctx: RequestContext;
  model: RegionalApis;
  params: Record<string, string>;
}
