import type { RequestContext } from '../../core/context.ts';
import type { ApiModel } from './model.ts';

/** What a control-plane handler gets: the request, the model, and the path's labels. */
export interface Call {
  ctx: RequestContext;
  model: ApiModel;
  params: Record<string, string>;
}
