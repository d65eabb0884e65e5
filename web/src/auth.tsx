/**
 * Who is logged in. The session lives in an HTTP-only cookie the page cannot read; the app asks
 * /api/auth/me and keeps the answer. A 401 from any call sends the person back to log-in.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { api, ApiError, SESSION_EXPIRED } from './api.ts';

export type Role = 'admin' | 'bureau' | 'district' | 'evaluator' | 'organization' | 'reviewer' | 'public' | 'auditor';

export interface User {
  id: number;
  username: string;
  display_name: string | null;
  role: Role;
  region_id: number | null;
  region_name: string | null;
  org_id: number | null;
  org_name: string | null;
}

interface AuthState {
  user: User | null;
  loading: boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  refresh: () => Promise<unknown>;
}

const AuthContext = createContext<AuthState | null>(null);
const ME = ['auth', 'me'];

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const me = useQuery({
    queryKey: ME,
    queryFn: async () => {
      try {
        return (await api.get<{ user: User }>('/api/auth/me')).user;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
  useEffect(() => {
    const expired = () => {
      qc.setQueryData(ME, null);
    };
    window.addEventListener(SESSION_EXPIRED, expired);
    return () => window.removeEventListener(SESSION_EXPIRED, expired);
  }, [qc]);
  const state: AuthState = {
    user: me.data ?? null,
    loading: me.isLoading,
    login: async (username, password) => {
      const res = await api.post<{ user: User }>('/api/auth/login', { username, password });
      // What another user saw must not show; the 'me' query stays (its observer is live).
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
      qc.setQueryData(ME, res.user);
    },
    logout: async () => {
      await api.post('/api/auth/logout').catch(() => undefined);
      qc.setQueryData(ME, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
    },
    refresh: () => me.refetch(),
  };
  return <AuthContext.Provider value={state}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}

/** The logged-in user (pages under the layout only render with one). */
export function useUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error('useUser without a user');
  return user;
}

export const hasRole = (user: User | null, roles: readonly Role[]) => !!user && roles.includes(user.role);
