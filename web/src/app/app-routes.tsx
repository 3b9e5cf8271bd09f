import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useAuth } from '../auth/auth-context';
import { RequireAuth } from '../auth/require-auth';
import { Loading } from '../components/loading';
import { Layout } from './layout';

// Every page is its own chunk: the first load carries the shell, the session and the router only.
const LoginPage = lazy(() => import('../pages/account/login-page'));
const RegisterPage = lazy(() => import('../pages/account/register-page'));
const ForgotPasswordPage = lazy(() => import('../pages/account/forgot-password-page'));
const ResetPasswordPage = lazy(() => import('../pages/account/reset-password-page'));
const ProfilePage = lazy(() => import('../pages/account/profile-page'));
const BrowseEventsPage = lazy(() => import('../pages/attendee/browse-events-page'));
const EventPage = lazy(() => import('../pages/attendee/event-page'));
const CheckoutPage = lazy(() => import('../pages/attendee/checkout-page'));
const MyTicketsPage = lazy(() => import('../pages/attendee/my-tickets-page'));
const TicketPage = lazy(() => import('../pages/attendee/ticket-page'));
const MyEventsPage = lazy(() => import('../pages/organizer/my-events-page'));
const EventEditorPage = lazy(() => import('../pages/organizer/event-editor-page'));
const SalesPage = lazy(() => import('../pages/organizer/sales-page'));
const AttendeesPage = lazy(() => import('../pages/organizer/attendees-page'));
const CheckInPage = lazy(() => import('../pages/organizer/check-in-page'));
const NotFoundPage = lazy(() => import('../pages/not-found-page'));

/** Organizers land on their dashboard; everybody else on the event list. */
function Home() {
  const { status, user } = useAuth();
  if (status === 'restoring') return <Loading label="Restoring your session" />;
  return <Navigate to={user?.role === 'organizer' ? '/organizer' : '/events'} replace />;
}

const organizer = (page: React.ReactNode) => <RequireAuth onlyFor="organizer">{page}</RequireAuth>;
const signedIn = (page: React.ReactNode) => <RequireAuth>{page}</RequireAuth>;

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="profile" element={signedIn(<ProfilePage />)} />
        <Route path="events" element={<BrowseEventsPage />} />
        <Route path="events/:eventId" element={<EventPage />} />
        <Route path="events/:eventId/register" element={signedIn(<CheckoutPage />)} />
        <Route path="tickets" element={signedIn(<MyTicketsPage />)} />
        <Route path="tickets/:registrationId" element={signedIn(<TicketPage />)} />
        <Route path="organizer" element={organizer(<MyEventsPage />)} />
        <Route path="organizer/events/new" element={organizer(<EventEditorPage />)} />
        <Route path="organizer/events/:eventId/edit" element={organizer(<EventEditorPage />)} />
        <Route path="organizer/events/:eventId/sales" element={organizer(<SalesPage />)} />
        <Route path="organizer/events/:eventId/attendees" element={organizer(<AttendeesPage />)} />
        <Route path="organizer/events/:eventId/check-in" element={organizer(<CheckInPage />)} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
