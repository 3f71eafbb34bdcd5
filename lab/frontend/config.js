// The frontend's settings. `npm run site` and the checker answer /app/config.js from the deployed
// outputs instead of this file; edit it only to serve the folder yourself.
// @ts-expect-error -- LAB_CONFIG is this lab's own global; Window does not declare it.
window.LAB_CONFIG = {
  // Your HTTP API's invoke URL, no trailing slash, e.g. https://abc123.execute-api.us-east-1.amazonaws.com
  apiBaseUrl: 'https://REPLACE-WITH-YOUR-API-ID.execute-api.REGION.amazonaws.com',
};
