// The portal's whole GraphQL client: one POST per operation, the graphql-ws
// client for subscriptions, and the reactions to error codes. A portal team
// can copy this file and keep its shape.
//
// Every operation goes out as a persisted document: `{documentId, variables}`,
// the id being the one relay-compiler wrote into persisted-documents.json.
// A server that does not know the id (a development server started before
// the manifest changed, or a server without the manifest) answers
// `errors[0].extensions.code == "PERSISTED_QUERY_NOT_FOUND"`; the client then
// sends the same operation once more with its text as `query` — the round
// trip of Apollo's automatic persisted queries. A server in persisted-only
// mode refuses that text unless it is one of its trusted documents
// (PERSISTED_QUERY_REQUIRED), so the fallback never widens what production
// runs.
import { createClient, type Client } from 'graphql-ws';
import type { Operation, OperationType } from './graphql';

const ENDPOINT = '/graphql';
const TOKEN_KEY = 'hub138.portal.accessToken';

interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [k: string]: unknown };
}

interface GraphQLResponse<D> {
  data?: D | null;
  errors?: GraphQLErrorBody[];
}

/** A request-level failure: `errors[0].extensions.code`, or HTTP/NETWORK. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly errors: GraphQLErrorBody[] = [],
  ) {
    super(message);
  }
}

/** One `userErrors` entry of a mutation payload. */
export interface UserError {
  readonly code: string;
  readonly field: readonly string[];
  readonly message: string;
}

/** What the portal says for the request-level codes the server sends. */
const CODE_TEXT: Record<string, string> = {
  UNAUTHENTICATED: 'Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại.',
  FORBIDDEN: 'Tài khoản không có quyền thực hiện thao tác này.',
  NOT_FOUND: 'Không tìm thấy đối tượng, hoặc đối tượng nằm ngoài phạm vi của tài khoản.',
  BAD_USER_INPUT: 'Dữ liệu nhập không hợp lệ.',
  CONFLICT: 'Dữ liệu đã được người khác thay đổi; hãy tải lại rồi thử lại.',
  TOO_COMPLEX: 'Truy vấn quá phức tạp, máy chủ từ chối. Hãy thu hẹp phạm vi (ít đơn vị, ít chỉ tiêu hơn).',
  TOO_DEEP: 'Truy vấn lồng quá sâu, máy chủ từ chối.',
  TIMEOUT: 'Máy chủ xử lý quá thời gian cho phép. Hãy thử lại hoặc thu hẹp phạm vi.',
  PAYLOAD_TOO_LARGE: 'Yêu cầu quá lớn.',
  PERSISTED_QUERY_NOT_FOUND: 'Máy chủ không có tài liệu truy vấn đã lưu này.',
  PERSISTED_QUERY_REQUIRED: 'Máy chủ chỉ chạy các truy vấn đã đăng ký.',
  GRAPHQL_VALIDATION_FAILED: 'Truy vấn không khớp với lược đồ của máy chủ.',
  GRAPHQL_PARSE_FAILED: 'Truy vấn không đọc được.',
  INTERNAL: 'Lỗi máy chủ. Vui lòng thử lại sau.',
  NETWORK: 'Không kết nối được tới máy chủ.',
};

/** A sentence for an ApiError (or anything thrown), with its code. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) {
    const text = CODE_TEXT[e.code] ?? 'Lỗi';
    return `${text} (${e.code}: ${e.message})`;
  }
  return `Lỗi: ${e instanceof Error ? e.message : String(e)}`;
}

/**
 * What the portal says for the userError codes its own mutations can meet;
 * the schema's `UserErrorCode` enum documents them all. Other codes show
 * the server's message alone.
 */
const USER_ERROR_TEXT: Record<string, string> = {
  INVALID_CREDENTIALS: 'Sai tên đăng nhập hoặc mật khẩu.',
  TOO_MANY_ATTEMPTS: 'Đăng nhập sai quá nhiều lần; vui lòng chờ một lúc rồi thử lại.',
  REQUIRED: 'Thiếu thông tin bắt buộc.',
  NOT_FOUND: 'Không tìm thấy, hoặc nằm ngoài phạm vi của tài khoản.',
  UNKNOWN_DEFINITION: 'Không có mẫu xuất này.',
  INVALID_RANGE: 'Kỳ báo cáo không hợp lệ.',
  OUT_OF_RANGE: 'Giá trị nằm ngoài giới hạn cho phép.',
};

/** The userErrors of a payload, one line each: "Câu tiếng Việt — message (CODE, field)". */
export function describeUserErrors(errors: readonly UserError[]): string[] {
  return errors.map((u) => {
    const where = `${u.code}${u.field.length ? `, ${u.field.join('.')}` : ''}`;
    const vi = USER_ERROR_TEXT[u.code];
    return vi ? `${vi} — ${u.message} (${where})` : `${u.message} (${where})`;
  });
}

// --- the session -----------------------------------------------------------

type Listener = () => void;
const signedOutListeners: Listener[] = [];

export const session = {
  get token(): string | null {
    return window.sessionStorage.getItem(TOKEN_KEY);
  },
  signIn(token: string): void {
    window.sessionStorage.setItem(TOKEN_KEY, token);
  },
  signOut(): void {
    window.sessionStorage.removeItem(TOKEN_KEY);
    closeSocket();
    for (const l of signedOutListeners) l();
  },
  /** Called on sign-out, including the forced one on UNAUTHENTICATED. */
  onSignedOut(l: Listener): void {
    signedOutListeners.push(l);
  },
};

// --- HTTP --------------------------------------------------------------------

async function post<D>(body: object): Promise<GraphQLResponse<D>> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  const token = session.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(ENDPOINT, { method: 'POST', headers, body: JSON.stringify(body) });
  } catch (e) {
    throw new ApiError('NETWORK', e instanceof Error ? e.message : String(e));
  }
  // GraphQL over HTTP answers errors with 4xx and a GraphQL body too: read
  // the body whenever it is JSON, and only fall back to the status.
  try {
    return (await res.json()) as GraphQLResponse<D>;
  } catch {
    throw new ApiError(`HTTP_${res.status}`, res.statusText || `HTTP ${res.status}`);
  }
}

function firstCode(r: GraphQLResponse<unknown>): string | undefined {
  return r.errors?.[0]?.extensions?.code;
}

/**
 * Runs a query or mutation and returns its `data`. Any GraphQL error throws
 * an ApiError with the first error's code; UNAUTHENTICATED also signs out,
 * which sends the portal back to the sign-in form. (A reference choice:
 * partial data with errors is treated as a failure of the whole request.)
 */
export async function request<T extends OperationType>(
  op: Operation<T>,
  variables: T['variables'],
): Promise<T['response']> {
  let r = await post<T['response']>({ documentId: op.id, variables });
  if (firstCode(r) === 'PERSISTED_QUERY_NOT_FOUND') {
    // The server does not know this id: send the persisted text once.
    r = await post<T['response']>({ query: op.text, operationName: op.name, variables });
  }
  if (r.errors?.length) {
    const e = r.errors[0];
    const code = e.extensions?.code ?? 'ERROR';
    if (code === 'UNAUTHENTICATED') session.signOut();
    throw new ApiError(code, e.message, r.errors);
  }
  if (r.data == null) throw new ApiError('ERROR', 'no data');
  return r.data;
}

// --- graphql-ws --------------------------------------------------------------

let socket: Client | null = null;
type SocketState = 'connecting' | 'connected' | 'closed';
const socketListeners: ((s: SocketState) => void)[] = [];

/** Follow the socket: 'connecting', 'connected' (acknowledged), 'closed'. */
export function onSocketState(l: (s: SocketState) => void): void {
  socketListeners.push(l);
}

function emitSocket(s: SocketState): void {
  for (const l of socketListeners) l(s);
}

function ws(): Client {
  if (socket) return socket;
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  socket = createClient({
    url: `${scheme}//${window.location.host}${ENDPOINT}`,
    // Read at every (re)connection, so a new sign-in takes effect.
    connectionParams: () => ({ Authorization: `Bearer ${session.token ?? ''}` }),
    lazy: true,
    retryAttempts: 5,
    // 4403: the server refused the token; do not retry with it.
    shouldRetry: (e) => !(e instanceof CloseEvent && e.code === 4403),
    on: {
      connecting: () => emitSocket('connecting'),
      connected: () => emitSocket('connected'),
      closed: (e) => {
        emitSocket('closed');
        if (e instanceof CloseEvent && e.code === 4403 && session.token) session.signOut();
      },
    },
  });
  return socket;
}

function closeSocket(): void {
  if (socket) {
    const s = socket;
    socket = null;
    void s.dispose();
  }
}

/**
 * Subscribes over graphql-ws with the manifest text of the operation (the
 * server runs manifest texts over WebSocket). Returns the unsubscribe.
 */
export function subscribe<T extends OperationType>(
  op: Operation<T>,
  variables: T['variables'],
  sink: { next: (data: T['response']) => void; error: (e: ApiError) => void },
): () => void {
  return ws().subscribe<T['response']>(
    { query: op.text, operationName: op.name, variables },
    {
      next: (r) => {
        if (r.errors?.length) {
          const e = r.errors[0] as GraphQLErrorBody;
          sink.error(new ApiError(e.extensions?.code ?? 'ERROR', e.message));
        } else if (r.data) {
          sink.next(r.data);
        }
      },
      error: (e) => {
        if (Array.isArray(e)) {
          const first = e[0] as GraphQLErrorBody | undefined;
          sink.error(new ApiError(first?.extensions?.code ?? 'ERROR', first?.message ?? 'subscription error'));
        } else if (e instanceof CloseEvent) {
          sink.error(new ApiError(e.code === 4403 ? 'UNAUTHENTICATED' : 'NETWORK', `WebSocket ${e.code} ${e.reason}`));
        } else {
          sink.error(new ApiError('NETWORK', e instanceof Error ? e.message : String(e)));
        }
      },
      complete: () => {},
    },
  );
}
