import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MAX, USERNAME_MAX, type SessionInfo, type SignInInfo } from '../../../core/api/auth.js';
import type { SignInNotice } from '../appState.js';
import { useApi } from '../ApiContext.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { SessionExpiredBanner } from '../components/SessionExpiredBanner.js';
import { TextField } from '../components/TextField.js';
import { useSubmission } from '../useSubmission.js';
import type { SignInInfoState } from '../useSignInInfo.js';

interface SignInPageProps {
  info: SignInInfoState;
  notice: SignInNotice;
  /** Prefilled after a lost session: the person only types the password again. */
  initialUsername: string;
  /** A workspace waits behind this page (lost session): say it is not lost. */
  workKept: boolean;
  onSession: (session: SessionInfo) => void;
}

type Invalid = {
  username?: 'validation.usernameRequired' | 'validation.usernameTooLong';
  password?: 'validation.passwordRequired' | 'validation.passwordTooLong';
};

/** The hub's own limits (core/api/auth.ts), checked here to say it in the person's language. */
function validate(username: string, password: string): Invalid {
  const found: Invalid = {};
  if (username.trim() === '') found.username = 'validation.usernameRequired';
  else if (username.trim().length > USERNAME_MAX) found.username = 'validation.usernameTooLong';
  if (password === '') found.password = 'validation.passwordRequired';
  else if (password.length > PASSWORD_MAX) found.password = 'validation.passwordTooLong';
  return found;
}

export function SignInPage({ info, notice, initialUsername, workKept, onSession }: SignInPageProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState('');
  const [invalid, setInvalid] = useState<Invalid>({});
  const submission = useSubmission();
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = validate(username, password);
    setInvalid(found);
    if (found.username || found.password) {
      submission.clear();
      (found.username ? usernameRef : passwordRef).current?.focus();
      return;
    }
    const error = await submission.run(async () => onSession(await api.login({ username: username.trim(), password })));
    if (error !== null) {
      setPassword('');
      passwordRef.current?.focus();
    }
  }

  const fields = submission.error?.fields ?? {};
  return (
    <main id="main" className="auth-page" tabIndex={-1}>
      <section className="auth-card" aria-labelledby="sign-in-title">
        <SiteIdentity info={info.value} />
        <h1 id="sign-in-title" className="auth-card__title">
          {t('signIn.title')}
        </h1>
        {notice === 'session-expired' && <SessionExpiredBanner workKept={workKept} />}
        {notice === 'signed-out' && (
          <p className="alert alert--info" role="status">
            {t('signIn.signedOut')}
          </p>
        )}
        {info.value && info.value.secondFactorRelaxedFor.length > 0 && (
          <p className="alert alert--info" data-testid="second-factor-relaxed">
            {t('signIn.secondFactorRelaxed', {
              roles: info.value.secondFactorRelaxedFor.map((role) => t(`roles.${role}`)).join(', '),
            })}
          </p>
        )}
        {info.error && (
          <div className="alert-with-action">
            <ErrorAlert error={info.error} />
            <button type="button" className="button button--secondary" onClick={info.retry}>
              {t('signIn.retry')}
            </button>
          </div>
        )}
        <ErrorAlert error={submission.error} />
        <form className="form" data-testid="sign-in-form" noValidate onSubmit={(event) => void submit(event)}>
          <TextField
            ref={usernameRef}
            label={t('signIn.username')}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus={initialUsername === ''}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            error={invalid.username ? t(invalid.username, { max: USERNAME_MAX }) : fields.username}
          />
          <TextField
            ref={passwordRef}
            label={t('signIn.password')}
            name="password"
            type="password"
            autoComplete="current-password"
            autoFocus={initialUsername !== ''}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={invalid.password ? t(invalid.password, { max: PASSWORD_MAX }) : fields.password}
          />
          <button type="submit" className="button button--primary" disabled={submission.pending}>
            {submission.pending ? t('signIn.submitting') : t('signIn.submit')}
          </button>
        </form>
        {info.value && <p className="auth-card__footer">{t('signIn.version', { version: info.value.version })}</p>}
      </section>
    </main>
  );
}

function SiteIdentity({ info }: { info: SignInInfo | null }) {
  const { t } = useTranslation();
  if (info === null) return null;
  return (
    <p className="auth-card__site">
      <span>{info.siteName}</span>
      {info.demo && (
        <span className="badge" data-testid="demo-badge">
          {t('signIn.demoBadge')}
        </span>
      )}
    </p>
  );
}
