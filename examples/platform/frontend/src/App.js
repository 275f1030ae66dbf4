import React, { useState } from 'react';
import axios from 'axios';

const api = axios.create({ baseURL: import.meta.env.VITE_API_URL ?? '/api' });

export function App() {
  const [text, setText] = useState('');
  const [answer, setAnswer] = useState(null);

  async function send(event) {
    event.preventDefault();
    const { data } = await api.post('/messages', { user_id: 'web', text });
    setAnswer(data);
  }

  return React.createElement(
    'main',
    null,
    React.createElement(
      'form',
      { onSubmit: send },
      React.createElement('input', { value: text, onChange: (e) => setText(e.target.value) }),
      React.createElement('button', { type: 'submit' }, 'Enviar'),
    ),
    answer && React.createElement('p', null, `${answer.intent}: ${answer.answer}`),
  );
}
