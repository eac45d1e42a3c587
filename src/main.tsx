import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initLibrary } from './store/library';
import { startUrlSync } from './store/url-sync';
import { App } from './ui/App';
import './ui/styles.css';

startUrlSync();
void initLibrary();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
