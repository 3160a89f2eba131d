// The renderer's entry: theme first (no flash of the wrong colours), then the app, or a message
// saying how to open it when the API cannot be reached (browser mode without its token).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi } from './api/api';
import { App } from './app/App';
import { startTheme } from './theme/themeStore';
import './theme/theme.css';

startTheme();
const api = getApi();
const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      {'error' in api ? (
        <main className="app-main">
          <h1>Fieldrun</h1>
          <p role="alert" className="notice fail">
            {api.error}
          </p>
        </main>
      ) : (
        <App />
      )}
    </StrictMode>,
  );
}
