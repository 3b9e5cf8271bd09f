import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { AppRoutes } from './app/app-routes';
import { AppServicesProvider, createAppServices } from './app/app-services';
import { AuthProvider } from './auth/auth-context';
import './styles/app.css';

const services = createAppServices();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppServicesProvider services={services}>
      <AuthProvider>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </AuthProvider>
    </AppServicesProvider>
  </StrictMode>,
);
