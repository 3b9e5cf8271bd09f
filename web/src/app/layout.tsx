import { Suspense, useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/auth-context';
import { Loading } from '../components/loading';

/** Header with navigation for who is signed in, and the page. */
export function Layout() {
  const { user, status, logOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const firstRender = useRef(true);

  // A client-side navigation announces nothing by itself: move focus to the new page's content.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every change of page
  useEffect(() => {
    setMenuOpen(false);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);

  const signOut = async () => {
    await logOut();
    navigate('/');
  };

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link to="/" className="brand">
            <span aria-hidden="true" className="brand-mark">
              E
            </span>
            EchoPlex
          </Link>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="site-nav"
            onClick={() => setMenuOpen((open) => !open)}
          >
            Menu
          </button>
          <nav id="site-nav" aria-label="Main" className={menuOpen ? 'site-nav open' : 'site-nav'}>
            <ul>
              {user?.role === 'organizer' && (
                <>
                  <li>
                    <NavLink to="/organizer" end>
                      My events
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/organizer/events/new">Create event</NavLink>
                  </li>
                </>
              )}
              <li>
                <NavLink to="/events">Browse events</NavLink>
              </li>
              {user?.role === 'attendee' && (
                <li>
                  <NavLink to="/tickets">My tickets</NavLink>
                </li>
              )}
              {user ? (
                <>
                  <li>
                    <NavLink to="/profile">
                      {user.firstName} <span className="role-tag">{user.role}</span>
                    </NavLink>
                  </li>
                  <li>
                    <button type="button" className="link-button" onClick={signOut}>
                      Sign out
                    </button>
                  </li>
                </>
              ) : status === 'restoring' ? null : (
                <>
                  <li>
                    <NavLink to="/login">Sign in</NavLink>
                  </li>
                  <li>
                    <NavLink to="/register" className="button small">
                      Create account
                    </NavLink>
                  </li>
                </>
              )}
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Suspense fallback={<Loading label="Loading page" />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="site-footer">
        <p>
          EchoPlex · <a href="/docs">API docs</a>
        </p>
      </footer>
    </>
  );
}
