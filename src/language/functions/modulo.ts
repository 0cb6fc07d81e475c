/** `modulo(a, b)`: a % b, with the rules of the operator: the dividend’s sign, an integer division by zero gives null. */
import { arithmeticFunction } from './arithmetic.js';

export const modulo = arithmeticFunction('modulo', '%', 'a % b, as the operator `%`');
