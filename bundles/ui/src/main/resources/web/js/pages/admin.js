// Administration: the installed plugins (id, version, vendor, signature, state) and the key-encryption key versions.
import { getJson } from '../api.js';
import { busy, clear, errorMessage, formatDate, h, message, setTitle, table } from '../dom.js';

export async function render(main) {
  setTitle('Administration');
  const plugins = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const keys = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  clear(main, h('h1', {}, 'Administration'),
    h('section', { class: 'card', 'aria-labelledby': 'plugins-heading' }, h('h2', { id: 'plugins-heading' }, 'Plugins'), plugins),
    h('section', { class: 'card', 'aria-labelledby': 'keys-heading' }, h('h2', { id: 'keys-heading' }, 'Encryption key versions'), keys));

  const [pluginResult, keyResult] = await busy('Loading', () => Promise.allSettled([
    getJson('/api/plugins', { what: 'list the plugins' }),
    getJson('/api/keys', { what: 'list the key versions' })]));

  if (pluginResult.status === 'fulfilled') {
    const { plugins: list, unsignedAllowed } = pluginResult.value;
    clear(plugins,
      unsignedAllowed ? message('warn', 'Development mode is on: unsigned plugins are allowed to run. Turn it off in production (plugins.allow.unsigned).') : null,
      list.length === 0 ? message('info', 'No plugin is installed.')
        : table(`${list.length} plugin bundles`, ['Bundle', 'Algorithms and models', 'Version', 'Vendor', 'Kind', 'Signature', 'State'],
          list.map(p => [
            h('span', {}, p.name || p.symbolicName, h('br'), h('span', { class: 'muted' }, `${p.symbolicName} (#${p.bundleId})`)),
            p.services.length ? p.services.map(s => `${s.id} ${s.version}`).join(', ') : '–',
            p.version, p.vendor || '–', p.kind,
            h('span', {}, h('span', { class: `badge ${p.signature.trusted ? 'ok' : 'bad'}` }, p.signature.trusted ? 'trusted' : 'not trusted'),
              h('br'), h('span', { class: 'muted' }, p.signature.trusted ? p.signature.signer : p.signature.reason)),
            h('span', { class: `badge ${p.state === 'ACTIVE' ? 'ok' : 'neutral'}` }, p.state.toLowerCase()),
          ])));
  } else {
    clear(plugins, errorMessage(pluginResult.reason));
  }

  if (keyResult.status === 'fulfilled') {
    const versions = keyResult.value;
    clear(keys, versions.length === 0 ? message('info', 'No key version yet.')
      : table('Key-encryption key versions, oldest first', ['Version', 'Created (UTC)', 'Active', 'Data keys it still wraps'],
        versions.map(v => [String(v.version), formatDate(v.created), v.active ? h('span', { class: 'badge ok' }, 'active') : '',
          String(v.dataKeysWrapped)]), { numeric: [0, 3], hiddenCaption: true }),
    h('p', { class: 'muted' }, 'Rotate with key:rotate and move old data keys with key:rewrap in the console; a version that wraps 0 data keys may be retired.'));
  } else {
    clear(keys, errorMessage(keyResult.reason));
  }
}
