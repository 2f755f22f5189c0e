import { defineConfig } from 'tsup';
import { packageBuild, packageEntries } from '../../tsup.base.js';

export default defineConfig({ ...packageBuild, entry: packageEntries(import.meta.url) });
