// The Dropship API client: every path, parameter, body and answer typed from the one OpenAPI document.
//
//   import { dropshipClient } from "@dropship/api-client";
//   const api = dropshipClient({ baseUrl: "http://localhost:8080", token: () => session.accessToken });
//   const { data, error } = await api.GET("/api/orders", { params: { query: { limit: 20 } } });
//   // error is the problem JSON: branch on error.type (urn:dropship:problem:...)
import createClient, { type ClientOptions } from "openapi-fetch";
import type { components, paths } from "./schema";

export type { components, paths } from "./schema";
export type Problem = components["schemas"]["Problem"];

export interface DropshipClientOptions extends ClientOptions {
  /** The current access token (POST /api/auth/signin, /api/auth/refresh), sent as a bearer token when present. */
  token?: () => string | undefined;
}

export function dropshipClient(options: DropshipClientOptions) {
  const { token, ...rest } = options;
  const client = createClient<paths>(rest);
  if (token) {
    client.use({
      onRequest({ request }) {
        const value = token();
        if (value) {
          request.headers.set("Authorization", `Bearer ${value}`);
        }
        return request;
      },
    });
  }
  return client;
}
