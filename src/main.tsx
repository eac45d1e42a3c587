import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initLibrary } from './store/library';
import { startUrlSync } from './store/url-sync';
import { App } from './ui/App';
import './ui/styles.css';

// Test builds only (issue 6): window.__lab, before anything can start the lab's worker.
if (__LAB_TEST_BUILD__) await import('./testing/page-hooks').then((m) => m.installPageHooks());

startUrlSync();
void initLibrary();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
