/**
 * The only home of the page's state: one zustand store composed of slices (types.ts), actions
 * named as the events that cause them. Actions delegate real work to pure functions (curves.ts);
 * effects (src/effects) call them through `useLabStore.getState()` and subscribe to changes.
 */
import { create } from 'zustand';
import { createDigitsSlice } from './digits-slice';
import { createHistorySlice } from './history-slice';
import { createRunSlice } from './run-slice';
import { createSettingsSlice } from './settings-slice';
import type { LabState } from './types';
import { createUiSlice } from './ui-slice';

export const createLabStore = () =>
  create<LabState>()((...a) => ({
    ...createRunSlice(...a),
    ...createSettingsSlice(...a),
    ...createUiSlice(...a),
    ...createHistorySlice(...a),
    ...createDigitsSlice(...a),
  }));

export const useLabStore = createLabStore();
