// The platform's REST and GraphQL as the pages call them, with errors as the platform answers them.

/** An error as the platform answers it: {error: {code, message: {nl, en}, where}}. */
export class ApiProblem extends Error {
  constructor(status, body) {
    const error = body?.error ?? {};
    super(error.message?.en ?? `HTTP ${status}`);
    this.status = status;
    this.code = error.code ?? 'http-' + status;
    this.messages = error.message ?? { nl: `HTTP-fout ${status}`, en: `HTTP error ${status}` };
    this.where = error.where;
  }
}

export function createApi(token) {
  async function call(method, path, body) {
    const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 204) return null;
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') ? await response.json().catch(() => null) : await response.text();
    if (!response.ok) throw new ApiProblem(response.status, parsed);
    return parsed;
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    delete: (path) => call('DELETE', path),
    /** The raw bytes of a body (and as text), with its content type. */
    async raw(path, accept) {
      const headers = { Authorization: `Bearer ${token}` };
      if (accept) headers.Accept = accept;
      const response = await fetch(path, { headers });
      if (!response.ok) throw new ApiProblem(response.status, await response.json().catch(() => null));
      const bytes = await response.arrayBuffer();
      return { contentType: response.headers.get('content-type') ?? '', bytes, text: new TextDecoder().decode(bytes), headers: response.headers };
    },
    async graphql(query, variables = {}) {
      const response = await fetch('/graphql', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ query, variables }) });
      const result = await response.json();
      if (result.errors?.length) throw new ApiProblem(response.status, { error: { code: 'graphql', message: { nl: result.errors[0].message, en: result.errors[0].message } } });
      return result.data;
    },
  };
}
