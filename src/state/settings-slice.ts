/** The settings being edited for the next run: they open on START_SETTINGS (Quick look). */
import type { StateCreator } from 'zustand';
import { START_SETTINGS } from '../settings/presets';
import type { LabState, SettingsSlice } from './types';

export const createSettingsSlice: StateCreator<LabState, [], [], SettingsSlice> = (set) => ({
  config: START_SETTINGS.config,
  backendChoice: START_SETTINGS.backend,
  settingsEdited: (s) => set({ config: s.config, backendChoice: s.backend }),
});
