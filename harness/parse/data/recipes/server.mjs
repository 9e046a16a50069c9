import net from 'node:net';
net.createServer(s => s.on('data', d => s.write('echo:' + d))).listen(8080, '192.168.99.2', () => console.log('listening'));
