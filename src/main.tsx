import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startLab } from './effects/start';
import { App } from './ui/App';
import './ui/styles.css';

// Test builds only (issue 6): window.__lab, before anything can start the lab's worker.
if (__LAB_TEST_BUILD__) await import('./testing/page-hooks').then((m) => m.installPageHooks());

// The effects: the URL hash, the run history, the run last worked on, the first-visit offer.
startLab();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
