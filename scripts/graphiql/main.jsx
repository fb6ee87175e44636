// Hub138's GraphiQL page: GraphiQL from its npm package, bundled by esbuild
// into api/assets/graphiql/ and served by the binary itself (no CDN). It
// signs in through the `login` mutation and sends the access token on HTTP
// requests and in graphql-ws `connection_init`.
import React, { useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { createClient } from 'graphql-ws';
import 'graphiql/graphiql.css';

const ENDPOINT = '/graphql';
const TOKEN_KEY = 'hub138.accessToken';
const introspection = document.body.dataset.introspection !== 'false';

const EXAMPLE = `# Hub138 — the API of the anti-trafficking steering committees (Ban Chỉ đạo 138).
#
# Sign in above (the demo accounts share the password hub138-demo), then run
# this query with the ▶ button. Every list is a Relay connection; ids are opaque.
#
# Subscriptions work here too, over graphql-ws:
#   subscription { taskUpdated(committeeId: "…") { id percent status } }

query Province {
  committeeByCode(level: PROVINCE, code: "08") {
    id
    name
    standingAgency { name }
    children(first: 5) {
      totalCount
      edges { node { id name unitType } }
    }
  }
}
`;

function wsUrl() {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${ENDPOINT}`;
}

async function login(username, password) {
  const res = await fetch(ENDPOINT, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({
      query: 'mutation ($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken userErrors { code message } } }',
      variables: { u: username, p: password },
    }),
  });
  const body = await res.json();
  const payload = body?.data?.login;
  if (payload?.accessToken) return { token: payload.accessToken };
  const error = payload?.userErrors?.[0] ?? body?.errors?.[0];
  return { error: error ? `${error.code ?? error.extensions?.code}: ${error.message}` : `HTTP ${res.status}` };
}

function SignIn({ token, onToken }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState('');
  if (token) {
    return (
      <div className="hub138-bar">
        <span>Đã đăng nhập — the Authorization header is set.</span>
        <button type="button" onClick={() => onToken(null)}>Đăng xuất / Sign out</button>
      </div>
    );
  }
  const submit = async (e) => {
    e.preventDefault();
    setMessage('…');
    const r = await login(username, password);
    if (r.token) { setMessage(''); onToken(r.token); } else { setMessage(r.error); }
  };
  return (
    <form className="hub138-bar" onSubmit={submit}>
      <strong>Hub138</strong>
      <input aria-label="username" placeholder="tên đăng nhập / username" value={username} onChange={(e) => setUsername(e.target.value)} />
      <input aria-label="password" type="password" placeholder="mật khẩu / password" value={password} onChange={(e) => setPassword(e.target.value)} />
      <button type="submit">Đăng nhập / Sign in</button>
      <span className="hub138-message">{message}</span>
    </form>
  );
}

function App() {
  const [token, setToken] = useState(() => window.sessionStorage.getItem(TOKEN_KEY));
  const onToken = (t) => {
    if (t) window.sessionStorage.setItem(TOKEN_KEY, t); else window.sessionStorage.removeItem(TOKEN_KEY);
    setToken(t);
  };
  const fetcher = useMemo(() => createGraphiQLFetcher({
    url: ENDPOINT,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    wsClient: createClient({
      url: wsUrl(),
      connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
      lazy: true,
    }),
  }), [token]);
  const headers = token ? JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2) : undefined;
  return (
    <div className="hub138">
      <SignIn token={token} onToken={onToken} />
      {!introspection && (
        <div className="hub138-bar hub138-warning">
          Introspection is turned off on this server (HUB138_INTROSPECTION=false): the docs and
          autocompletion cannot load, but queries still run.
        </div>
      )}
      <div className="hub138-graphiql">
        <GraphiQL
          key={token ?? 'anonymous'}
          fetcher={fetcher}
          defaultQuery={EXAMPLE}
          headers={headers}
          shouldPersistHeaders={false}
          schema={introspection ? undefined : null}
        />
      </div>
    </div>
  );
}

createRoot(document.getElementById('graphiql')).render(<App />);
