import './dom-test-setup';
import { render, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { expect } from 'vitest';
import type { User } from '../api/types';
import { AppRoutes } from '../app/app-routes';
import { type AppServices, AppServicesProvider, createAppServices } from '../app/app-services';
import { AuthProvider } from '../auth/auth-context';
import { FakeGateway, FakeSocket, json, memoryStorage } from './fake-gateway';

export const attendee: User = {
  id: '0190a0b0-0000-7000-8000-000000000001',
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  role: 'attendee',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

export const organizer: User = {
  ...attendee,
  id: '0190a0b0-0000-7000-8000-000000000002',
  email: 'grace@example.com',
  firstName: 'Grace',
  lastName: 'Hopper',
  role: 'organizer',
};

/** The app's real services over a fake gateway and socket; `user` is signed in by the refresh cookie. */
function servicesFor(gateway: FakeGateway, user: User | undefined) {
  const storage = memoryStorage(user ? { 'echoplex.session': '1' } : {});
  if (user) {
    gateway.on(
      'POST /api/auth/refresh',
      json(200, { accessToken: 'access-1', refreshToken: 'refresh-2', expiresIn: 900 }),
    );
    gateway.on('GET /api/users/me', json(200, user));
  }
  const services = createAppServices({
    fetch: gateway.fetch,
    storage,
    socketUrl: 'ws://echoplex.test/ws',
    openSocket: (url) => new FakeSocket(url),
  });
  return { services, storage };
}

function withProviders(services: AppServices, path: string, routes: ReactNode) {
  return (
    <AppServicesProvider services={services}>
      <AuthProvider>
        <MemoryRouter initialEntries={[path]}>{routes}</MemoryRouter>
      </AuthProvider>
    </AppServicesProvider>
  );
}

interface RenderOptions {
  path: string;
  route?: string;
  gateway?: FakeGateway;
  user?: User;
}

/** One page at `path` (matched by `route`); any navigation away renders "Navigated away". */
export function renderWithApp(
  page: ReactNode,
  { path, route = path.split('?')[0]!, gateway = new FakeGateway(), user }: RenderOptions,
) {
  const { services, storage } = servicesFor(gateway, user);
  const view = render(
    withProviders(
      services,
      path,
      <Routes>
        <Route path={route} element={page} />
        <Route path="*" element={<p>Navigated away</p>} />
      </Routes>,
    ),
  );
  return { ...view, gateway, services, storage };
}

/** The whole app (layout, navigation, lazy routes) at `path`, as a browser would show it. */
export function renderApp(
  path: string,
  { gateway = new FakeGateway(), user }: { gateway?: FakeGateway; user?: User } = {},
) {
  const { services } = servicesFor(gateway, user);
  const view = render(withProviders(services, path, <AppRoutes />));
  return { ...view, gateway, services };
}

/** A page subscribes in an effect after its data arrived: wait for its socket rather than assume it. */
export async function openedSocket(): Promise<FakeSocket> {
  await waitFor(() => expect(FakeSocket.opened).toHaveLength(1));
  return FakeSocket.opened[0]!;
}
