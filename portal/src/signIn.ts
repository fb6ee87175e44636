// The sign-in form: `login` returns a token or userErrors (wrong password,
// too many attempts), never a request error for a bad password.
import { describeError, describeUserErrors, request, session } from './client';
import { h } from './dom';
import { graphql } from './graphql';
import type { signInLoginMutation } from './__generated__/signInLoginMutation.graphql';

const LoginMutation = graphql`
  mutation signInLoginMutation($username: String!, $password: String!) {
    login(input: { username: $username, password: $password }) {
      accessToken
      expiresAt
      account {
        username
        displayName
        role
        committee {
          id
          name
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export interface SignedIn {
  readonly homeCommitteeId: string | null;
}

export function signInView(onSignedIn: (s: SignedIn) => void): HTMLElement {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, 'data-testid': 'username' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'password' });
  const message = h('p', { class: 'error', role: 'alert', 'data-testid': 'sign-in-error' });
  const button = h('button', { type: 'submit', 'data-testid': 'sign-in' }, 'Đăng nhập');
  const form = h(
    'form',
    { class: 'card sign-in', 'data-testid': 'sign-in-form' },
    h('h2', {}, 'Đăng nhập'),
    h('label', {}, 'Tên đăng nhập', username),
    h('label', {}, 'Mật khẩu', password),
    button,
    message,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message.textContent = '';
    button.disabled = true;
    try {
      const { login } = await request<signInLoginMutation>(LoginMutation, {
        username: username.value.trim(),
        password: password.value,
      });
      if (login.userErrors.length || !login.accessToken) {
        // INVALID_CREDENTIALS, TOO_MANY_ATTEMPTS…: the server's message is
        // written for people; show it with its code.
        message.textContent = describeUserErrors(login.userErrors).join(' ') || 'Đăng nhập không thành công.';
        return;
      }
      session.signIn(login.accessToken);
      onSignedIn({ homeCommitteeId: login.account?.committee?.id ?? null });
    } catch (err) {
      message.textContent = describeError(err);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
