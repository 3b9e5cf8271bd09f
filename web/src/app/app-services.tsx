import { createContext, type ReactNode, useContext } from 'react';
import { ApiClient } from '../api/client';
import { createEchoplexApi, type EchoplexApi } from '../api/echoplex-api';
import { TokenStore } from '../api/token-store';
import { RealtimeClient, type SocketLike, socketUrlFor } from '../realtime/realtime-client';

/** The long-lived objects of a tab: one HTTP client with its session, one WebSocket. */
export interface AppServices {
  api: EchoplexApi;
  realtime: RealtimeClient;
}

export interface AppServicesOptions {
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  socketUrl?: string;
  openSocket?: (url: string) => SocketLike;
}

export function createAppServices(options: AppServicesOptions = {}): AppServices {
  const tokens = options.storage === undefined ? new TokenStore() : new TokenStore(options.storage);
  const client = new ApiClient(tokens, options.fetch);
  const realtime = new RealtimeClient({
    url: options.socketUrl ?? socketUrlFor(window.location),
    accessToken: () => tokens.accessToken,
    openSocket: options.openSocket,
  });
  return { api: createEchoplexApi(client), realtime };
}

const ServicesContext = createContext<AppServices | null>(null);

export function AppServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('AppServicesProvider is missing above this component.');
  return services;
}

export function useApi(): EchoplexApi {
  return useServices().api;
}

export function useRealtimeClient(): RealtimeClient {
  return useServices().realtime;
}
